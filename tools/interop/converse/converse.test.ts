// Converse.js 14 in headless Debian Chromium as an IM-only grid user at the gateway (spec
// chapter 11), over BOSH from a page on another origin (CORS, GRIDIM-XMPP-56) and over WebSocket.
// The test drives Converse's UI as a user would (clicks and typing); grid users are region
// clients. Results: reference/gateway/interop/converse-<transport>.json, written by every run
// (tools/interop/results.ts); a run whose results differ from the committed file fails.
import t, { type Test } from 'tap'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { ClientSession, is } from '../../../conformance/lib/client-session.ts'
import { createLogger, PeerClient } from '../../../reference/lib/http/index.ts'
import { startGrid } from '../../../reference/grid/start-grid.ts'
import { chromiumOrSkip, launchChromium, type Browser } from './browser.ts'
import { startConversePage } from './page-server.ts'
import { InteropRecorder, type Feature } from '../results.ts'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const CONVERSE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/converse.js/package.json'), 'utf8')) as { version: string }).version
const GW = 'grid.localhost'
const WAIT = 10_000
const chromium = chromiumOrSkip()
if ('missing' in chromium) t.fail(chromium.missing)
const skip = 'skip' in chromium ? chromium.skip : 'missing' in chromium ? chromium.missing : false

let browser: Browser | undefined
t.before(async () => { if ('path' in chromium) browser = await launchChromium(chromium.path) })
t.teardown(async () => { await browser?.close() })

for (const transport of ['BOSH', 'WebSocket'] as const) {
  t.test(`Converse.js over ${transport}`, { skip, timeout: 150_000 }, async (t) => {
    const started = Date.now()
    const recorder = new InteropRecorder(`converse-${transport.toLowerCase()}.json`, {
      client: `Converse.js ${CONVERSE_VERSION} (Chromium ${browser!.version.split('.')[0]})`, via: 'the gateway (IM-only grid user)', transport
    }, FEATURES)
    await run(t, transport, recorder)
    t.comment(`${transport}: ${Date.now() - started} ms`)
    const { committed, fresh } = recorder.write()
    t.equal(fresh, committed ?? '(no committed file)', `reference/gateway/interop/${recorder.file} matches what this run found (commit it if the change is right, then run \`npm run generate\`)`)
  })
}

const FEATURES: Feature[] = ['login', 'roster', 'presence', 'chat to grid', 'chat from grid', 'chat states', 'add contact', 'accept offer', 'group room', 'room messages', 'leave room']

async function run (t: Test, transport: 'BOSH' | 'WebSocket', recorder: InteropRecorder): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-converse-'))
  const grid = await startGrid({ dataDir, regionCount: 1, logger: createLogger({ test: 'converse' }), gateway: { domain: GW } })
  t.teardown(async () => { await grid.stop(); rmSync(dataDir, { recursive: true, force: true }) })
  const admin = new PeerClient()
  const headers = { authorization: `Bearer ${grid.adminToken}` }
  const user = async (firstName: string) => {
    const password = `${firstName}-password`
    const { userId } = (await admin.call(grid.userServerUrl, 'adminCreateUser', { headers, body: { firstName, lastName: 'Test', password } })).body
    return { userId, password, jid: `${firstName.toLowerCase()}.test@${GW}` }
  }
  const [a, e, z, s] = [await user('Ada'), await user('Eve'), await user('Zed'), await user('Sam')]
  await admin.call(grid.userServerUrl, 'adminCreateFriendship', { headers, body: { userIds: [a.userId, e.userId], rights: { ab: 1, ba: 1 } } })
  const group = (await admin.call(grid.userServerUrl, 'adminCreateGroup', { headers, body: { name: 'Tea', memberIds: [a.userId, e.userId] } })).body
  const region = grid.regionInfo[0]!.url
  const A = await ClientSession.login(region, 'Ada', 'Test', a.password)
  const Z = await ClientSession.login(region, 'Zed', 'Test', z.password)
  const S = await ClientSession.login(region, 'Sam', 'Test', s.password)

  const gateway = grid.gateway!.url
  const connection = transport === 'BOSH' ? { bosh_service_url: `${gateway}/http-bind` } : { websocket_url: `${gateway.replace(/^http/, 'ws')}/xmpp-websocket` }
  const site = await startConversePage({
    ...connection,
    jid: e.jid,
    password: e.password,
    auto_login: true,
    discover_connection_methods: false,
    view_mode: 'fullscreen',
    auto_join_on_invite: true,
    blacklisted_plugins: ['converse-omemo'],
    loglevel: process.env.DEBUG_CONVERSE === '1' ? 'debug' : 'warn'
  })
  t.teardown(() => site.stop())
  t.not(new URL(site.url).origin, new URL(gateway).origin, 'the page is from another origin than the gateway')
  const page = await browser!.context.newPage()
  t.teardown(() => page.close())
  if (process.env.DEBUG_CONVERSE === '1') page.on('console', (m) => { console.error('converse:', m.text().slice(0, 500)) })

  const step = async (feature: Feature, body: () => Promise<void>): Promise<void> => {
    // A failed step is recorded and reported, and the next steps still run.
    try {
      await recorder.step(feature, body)
      t.pass(`${transport}: ${feature}`)
    } catch (err) {
      const dump = join(ROOT, '.tap/artifacts', `converse-${transport.toLowerCase()}-${feature.replace(/ /g, '-')}.html`)
      mkdirSync(dirname(dump), { recursive: true })
      writeFileSync(dump, await page.content())
      t.fail(`${transport}: ${feature}: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  const contact = (jid: string) => page.locator(`a.open-chat[data-jid="${jid}"]`)
  const chat = (jid: string) => page.locator(`converse-chat[jid="${jid}"]`)

  // Over BOSH the page's XHRs (text/xml, so preflighted) reach the gateway only through CORS.
  const corsOrigins = new Set<string | undefined>()
  page.on('response', (r) => { if (r.url().endsWith('/http-bind')) corsOrigins.add(r.headers()['access-control-allow-origin']) })
  await page.goto(site.url)
  await step('login', async () => {
    await page.locator('converse-controlbox .xmpp-status, converse-user-profile').first().waitFor({ timeout: WAIT })
    await A.waitFor(is.presence(e.userId, 'online'), WAIT, 'Eve online at the gateway')
    // A step's checks throw (assert), so that a failed one marks the feature "fails".
    if (transport === 'BOSH') assert.deepEqual([...corsOrigins], [new URL(site.url).origin], 'every BOSH answer allows the page\'s origin (GRIDIM-XMPP-56)')
  })
  await step('roster', async () => {
    await contact(a.jid).filter({ hasText: 'Ada Test' }).waitFor({ timeout: WAIT })
  })
  await step('presence', async () => {
    await page.locator(`li.current-xmpp-contact[data-status="online"] a.open-chat[data-jid="${a.jid}"]`).waitFor({ timeout: WAIT })
  })

  const textarea = chat(a.jid).locator('textarea.chat-textarea')
  await step('chat to grid', async () => {
    await contact(a.jid).click({ timeout: WAIT })
    await textarea.fill('Hello from Converse')
    await textarea.press('Enter')
    await A.waitFor(is.message(e.userId, 'Hello from Converse'), WAIT, 'Eve\'s message')
  })
  await step('chat from grid', async () => {
    await A.call('clientSendInstantMessage', { body: { toUserId: e.userId, body: 'Hello Converse' } })
    await chat(a.jid).locator('.chat-msg__text', { hasText: 'Hello Converse' }).waitFor({ timeout: WAIT })
  })
  await step('chat states', async () => {
    // Eve types (XEP-0085 composing → a chatState on the grid, GRIDIM-XMPP-32); then Ada types.
    await textarea.pressSequentially('typing…')
    await A.waitFor((ev) => ev.type === 'chatState' && ev.data.fromUserId === e.userId && ev.data.state === 'composing', WAIT, 'Eve typing')
    await A.call('clientSendChatState', { body: { toUserId: e.userId, state: 'composing' } })
    await chat(a.jid).locator('.chat-content__notifications', { hasText: 'Ada Test is typing' }).waitFor({ timeout: WAIT })
    await textarea.fill('')
  })
  await screenshot(t, page, transport, 'chat')

  await step('add contact', async () => {
    // "Add a contact" is in the menu of the Contacts heading.
    await page.locator('converse-dropdown.dropdown--contacts button.dropdown-toggle').click({ timeout: WAIT })
    await page.locator('a.add-contact').click({ timeout: WAIT })
    const modal = page.locator('converse-add-contact-modal')
    await modal.locator('input[name="jid"]').fill(z.jid)
    await modal.locator('input[name="name"]').fill('Zed Test')
    await modal.locator('button[type="submit"]').click()
    await Z.waitFor((ev) => ev.type === 'friendshipOffer' && ev.data.fromUserId === e.userId, WAIT, 'Eve\'s offer to Zed')
  })
  await step('accept offer', async () => {
    await S.call('clientOfferFriendship', { body: { toUserId: e.userId, message: 'Friends?' } })
    // The request is listed under "Contact requests"; its menu has "Accept as contact", which
    // opens a form (name, groups) whose submit approves it.
    // It is listed by Sam's grid name, the subscribe's XEP-0172 nick (GRIDIM-XMPP-62), not by JID.
    const request = page.locator('li.requesting-xmpp-contact').filter({ has: page.locator(`a.open-chat[data-jid="${s.jid}"]`) }).filter({ hasText: 'Sam Test' })
    await request.locator('button.dropdown-toggle').click({ timeout: WAIT })
    await request.locator('a.accept-xmpp-request').click({ timeout: WAIT })
    await page.locator('converse-accept-contact-request-modal button[type="submit"]').click({ timeout: WAIT })
    await S.waitFor((ev) => ev.type === 'friendshipAccepted' && ev.data.friendId === e.userId, WAIT, 'the acceptance')
    await page.locator(`li.current-xmpp-contact a.open-chat[data-jid="${s.jid}"]`).filter({ hasText: 'Sam Test' }).waitFor({ timeout: WAIT })
  })

  const gs = await A.call('clientStartGroupSession', { body: { groupId: group.groupId } })
  const roomJid = `${gs.groupSessionId}@${GW}`
  const room = page.locator(`converse-muc[jid="${roomJid}"]`)
  await step('group room', async () => {
    // The XEP-0249 invitation is joined by itself (auto_join_on_invite); the room is listed
    // under Groupchats and opened from there.
    await room.waitFor({ state: 'attached', timeout: WAIT })
    await page.locator(`a.open-room[data-room-jid="${roomJid}"]`).click({ timeout: WAIT })
    // Converse finds no nickname in the user's vCard or PEP and asks the room for the reserved
    // one (XEP-0045 §7.12); the gateway names the user's grid name (GRIDIM-XMPP-61), so Converse
    // joins without asking the user: no nickname form, ever.
    // A bounded wait for whichever comes first, the joined room or the form.
    await room.locator('textarea.chat-textarea, converse-muc-nickname-form').first().waitFor({ timeout: WAIT })
    if (await room.locator('converse-muc-nickname-form').count() !== 0) {
      throw new Error('Converse asked for a nickname: the reserved-nick query went unanswered (GRIDIM-XMPP-61)')
    }
    await room.locator('converse-muc-sidebar, .occupant-list').first().filter({ hasText: 'Ada Test' }).waitFor({ timeout: WAIT })
  })
  await step('room messages', async () => {
    await A.call('clientSendGroupMessage', { params: { groupSessionId: gs.groupSessionId }, body: { body: 'Tea is ready' } })
    await room.locator('.chat-msg__text', { hasText: 'Tea is ready' }).waitFor({ timeout: WAIT })
    const roomText = room.locator('textarea.chat-textarea')
    await roomText.fill('Coming!')
    await roomText.press('Enter')
    await A.waitFor(is.groupMessage(gs.groupSessionId, 'Coming!'), WAIT, 'Eve in the room')
  })
  await screenshot(t, page, transport, 'room')
  await step('leave room', async () => {
    await page.locator(`a.close-room[data-room-jid="${roomJid}"]`).click({ timeout: WAIT })
    await page.locator('converse-confirm-modal .btn-primary').click({ timeout: WAIT })
    await A.waitFor((ev) => ev.type === 'groupSessionMemberLeft' && ev.data.userId === e.userId, WAIT, 'Eve left')
  })
}

async function screenshot (t: Test, page: Page, transport: string, what: string): Promise<void> {
  const dir = join(ROOT, '.tap/artifacts')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `converse-${transport.toLowerCase()}-${what}.png`)
  await page.screenshot({ path })
  t.comment(`screenshot: ${path}`)
}
