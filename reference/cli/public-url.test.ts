// `gridim region --public-url`: a region behind a reverse proxy (or the conformance runner's)
// registers that URL; anything but an http(s) URL is refused before the region starts.
import t from 'tap'
import { publicUrl } from './main.ts'

t.test('an http or https URL, without a trailing slash', async (t) => {
  t.equal(publicUrl('http://127.0.0.1:8001/'), 'http://127.0.0.1:8001')
  t.equal(publicUrl('https://region.example/grid'), 'https://region.example/grid')
})

t.test('anything else is refused with the flag named', async (t) => {
  t.throws(() => publicUrl('not a url'), /--public-url must be an http or https URL, got not a url/)
  t.throws(() => publicUrl('ftp://region.example'), /--public-url must be an http or https URL/)
})
