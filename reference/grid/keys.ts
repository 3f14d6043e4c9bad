// A role's Ed25519 signing key, kept in a file so a restarted process keeps its identity.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createPublicKey, type KeyObject } from 'node:crypto'
import { dirname } from 'node:path'
import { exportPrivateKey, generateKeyPair, importPrivateKey } from '../lib/signatures/index.ts'

export type KeyPair = { privateKey: KeyObject, publicKey: KeyObject }

export function loadOrCreateKeyPair (file: string): KeyPair {
  if (existsSync(file)) {
    const privateKey = importPrivateKey(readFileSync(file, 'utf8'))
    return { privateKey, publicKey: createPublicKey(privateKey) }
  }
  const pair = generateKeyPair()
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, exportPrivateKey(pair.privateKey), { mode: 0o600 })
  return pair
}
