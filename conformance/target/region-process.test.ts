// Filling in a region's start command from the target file, and what happens when it fails.
import t from 'tap'
import { fillCommand, placeholdersOf, spawnRegion, waitForLease } from './region-process.ts'

t.test('a command line runs under sh with each value quoted; an argument list runs as it is', async (t) => {
  const values = { userServerUrl: 'http://127.0.0.1:8000', name: "Ann's Region", port: '8101' }
  t.same(fillCommand('my-region --name {name} --user-server {userServerUrl}', values),
    { file: '/bin/sh', args: ['-c', "my-region --name 'Ann'\\''s Region' --user-server 'http://127.0.0.1:8000'"], shell: true })
  t.same(fillCommand(['my-region', '--name', '{name}', '--port={port}'], values),
    { file: 'my-region', args: ['--name', "Ann's Region", '--port=8101'], shell: false })
  t.throws(() => fillCommand('x {keyFile}', values), /\{keyFile\} has no value here/)
  t.throws(() => fillCommand([], values), /the command is empty/)
})

t.test('placeholders are known by name; a misspelt one is an error', async (t) => {
  t.same(placeholdersOf('r --us {userServerUrl} --id {regionId} --id2 {regionId} --port {port}'), ['userServerUrl', 'regionId', 'port'])
  t.same(placeholdersOf(['r', '{keyFile}', '{userServerKey}', '{name}']), ['keyFile', 'userServerKey', 'name'])
  t.throws(() => placeholdersOf('r --us {userserverurl}'), /unknown placeholder \{userserverurl\}; known: \{userServerUrl\}/)
})

t.test('a region that exits says why, with what it printed', async (t) => {
  const p = spawnRegion(['/bin/sh', '-c', 'echo "cannot bind port $0" >&2; exit 3', '{port}'], { port: '8101' })
  t.match(await p.exited, /exited \(code 3\): cannot bind port 8101/)
  await p.stop()
})

t.test('stop ends the whole process group, a shell\'s children too', async (t) => {
  const p = spawnRegion('sleep 60 & sleep 60; wait', {})
  t.ok(p.child.pid)
  await p.stop()
  t.match(await p.exited, /exited \(SIGTERM\)/)
  // The sleeps end with the shell; their exit is reaped by init a moment later.
  const alive = (): boolean => { try { process.kill(-p.child.pid!, 0); return true } catch { return false } }
  const deadline = Date.now() + 5000
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  t.notOk(alive(), 'nothing of the group is left')
})

t.test('a lease is the first successful renewal of that region, and it gives the URL', async (t) => {
  const observers = new Set<(x: any) => void>()
  const observe = (o: (x: any) => void): () => void => { observers.add(o); return () => observers.delete(o) }
  const emit = (x: any): void => { for (const o of observers) o(x) }
  const wait = waitForLease(observe, 'r-1', 5000)
  const base = { operationId: 'renewRegionLease', method: 'PUT', at: 0 }
  emit({ ...base, url: 'http://us/regions/r-2/lease', status: 200, requestBody: { url: 'http://other' } })
  emit({ ...base, url: 'http://us/regions/r-1/lease', status: 409, requestBody: { url: 'http://refused' } })
  emit({ ...base, url: 'http://us/regions/r-1/lease', status: 200, requestBody: { url: 'http://127.0.0.1:8101' } })
  t.equal(await wait.lease, 'http://127.0.0.1:8101')
  t.equal(observers.size, 0, 'it stops observing')
  const late = waitForLease(observe, 'r-1', 50)
  await t.rejects(late.lease, /region r-1 took no lease within 50 ms/)
})
