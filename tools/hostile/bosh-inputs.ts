// Invalid BOSH requests (XEP-0124/0206) for the gateway's boshRequest: its contract's own
// session-creation example spoiled by fast-check — not well-formed, a DTD or entity
// (GRIDIM-XMPP-43), comments and processing instructions, the wrong root or namespace, an
// unknown sid, a rid that is no number, invalid UTF-8, the wrong media type, over 131,072
// bytes (GRIDIM-LIM-11). Each must end in a `type='terminate'` body, never a 4xx problem.
import fc from 'fast-check'
import { loadDocument } from '../../reference/lib/contract/load-openapi.ts'
import type { HostileInput } from './hostile-inputs.ts'

/** GRIDIM-LIM-11. */
export const MAX_BOSH_BYTES = 131_072

const NS = 'http://jabber.org/protocol/httpbind'

/** The contract's session-creation request, addressed to the gateway's domain. */
export function boshSessionRequest (domain: string): string {
  const example = loadDocument('gateway').components!.examples!.SessionCreationRequest.value as string
  return example.replace(/to='[^']*'/, `to='${domain}'`)
}

export function hostileBoshInputs (domain: string, seed: number, count: number): HostileInput[] {
  const valid = boshSessionRequest(domain)
  const xml = (kind: string, text: string | Buffer, contentType = 'text/xml; charset=utf-8'): HostileInput =>
    ({ kind, path: {}, query: [], headers: { 'content-type': contentType }, body: Buffer.from(text) })
  const withChild = (child: string): string => valid.replace(/\/>$/, `>${child}</body>`)
  const arbitrary = fc.oneof(
    fc.integer({ min: 1, max: valid.length - 1 }).map((cut) => xml('not well-formed (cut)', valid.slice(0, cut))),
    fc.string({ minLength: 1, maxLength: 60 }).map((text) => xml('not XML', text)),
    fc.constantFrom(
      `<!DOCTYPE body [<!ENTITY x "boom">]>${valid}`,
      `<!DOCTYPE body [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><body xmlns='${NS}' rid='1'>&c;</body>`,
      `<!DOCTYPE body SYSTEM "file:///etc/passwd">${valid}`
    ).map((text) => xml('DTD or entity', text)),
    fc.constantFrom(withChild('<!-- a comment -->'), withChild('<?pi data?>'), withChild('&unknown;'), `<?xml-stylesheet href='x'?>${valid}`)
      .map((text) => xml('restricted XML', text)),
    fc.constantFrom(`<body xmlns='urn:not:bosh' rid='1'/>`, `<message xmlns='${NS}' rid='1'/>`, `<body rid='1'/>`)
      .map((text) => xml('wrong root or namespace', text)),
    fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[A-Za-z0-9]+$/.test(s)).map((sid) => xml('unknown sid', `<body xmlns='${NS}' rid='10' sid='${sid}'/>`)),
    fc.string({ minLength: 1, maxLength: 12 }).filter((r) => !/^\d+$/.test(r) && /^[\x20-\x7e]+$/.test(r) && !/['&<]/.test(r))
      .map((rid) => xml('rid not a number', valid.replace(/rid='\d+'/, `rid='${rid}'`))),
    fc.constant(xml('invalid UTF-8', Buffer.concat([Buffer.from(valid.replace(/\/>$/, '>')), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</body>')]))),
    fc.constantFrom('application/json', 'application/x-www-form-urlencoded').map((type) => xml(`media type ${type}`, JSON.stringify({ body: valid }), type)),
    fc.integer({ min: MAX_BOSH_BYTES + 1, max: MAX_BOSH_BYTES + 4096 }).map((size) =>
      xml(`${size} bytes`, withChild(`<message xmlns='jabber:client' to='x@${domain}'><body>${'x'.repeat(size)}</body></message>`)))
  )
  return fc.sample(arbitrary, { seed, numRuns: count })
}
