// A role's Ed25519 signing key, kept in a file so a restarted process keeps its identity.
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { createPublicKey, type KeyObject } from 'node:crypto'
import { dirname } from 'node:path'
import { exportPrivateKey, generateKeyPair, importPrivateKey } from '../lib/signatures/index.ts'

export type KeyPair = { privateKey: KeyObject, publicKey: KeyObject }

function load (file: string): KeyPair {
  const privateKey = importPrivateKey(readFileSync(file, 'utf8'))
  return { privateKey, publicKey: createPublicKey(privateKey) }
}

/**
 * The key in `file`, created when there is none. Several processes may share one file (the
 * instances of a user server, issue 16) and start together: the new key is written whole to a
 * file of its own and linked into place, which fails when another process got there first —
 * then that process's key is everyone's.
 */
export function loadOrCreateKeyPair (file: string): KeyPair {
  if (existsSync(file)) return load(file)
  const pair = generateKeyPair()
  mkdirSync(dirname(file), { recursive: true })
  const own = `${file}.${process.pid}.${Date.now()}.new`
  writeFileSync(own, exportPrivateKey(pair.privateKey), { mode: 0o600 })
  try {
    linkSync(own, file)
    return pair
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return load(file)
    throw error
  } finally {
    unlinkSync(own)
  }
}
