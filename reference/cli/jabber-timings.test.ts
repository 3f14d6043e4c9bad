// `gridim gateway --jabber-timings`: the component link's timers for a test grid; anything but
// known keys with positive whole milliseconds is refused before the gateway starts.
import t from 'tap'
import { jabberTimings } from './main.ts'

t.test('any of the timers, retry start and max as the backoff', async (t) => {
  t.same(jabberTimings('keep-alive=250,idle-ping=300,ping-timeout=1500,ack-delay=200,retry-start=50,retry-max=500'), {
    keepAliveMs: 250, idlePingMs: 300, pingTimeoutMs: 1500, ackDelayMs: 200, backoff: { initialMs: 50, maxMs: 500 }
  })
  t.same(jabberTimings('idle-ping=1000'), { idlePingMs: 1000 })
  t.same(jabberTimings('retry-max=900'), { backoff: { maxMs: 900 } })
})

t.test('an unknown key or a value that is not positive whole milliseconds is refused with the flag named', async (t) => {
  for (const bad of ['idle=300', 'idle-ping=0', 'idle-ping=1.5', 'idle-ping', 'idle-ping=300,', '']) {
    t.throws(() => jabberTimings(bad), /--jabber-timings takes keep-alive=MS,/, bad)
  }
})
