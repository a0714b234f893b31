import t from 'tap'
import { trustedPeer } from '../../src/config/trusted-peer.js'

t.test('TRUST_PROXY decides whose own headers count', async t => {
  const named = trustedPeer(['loopback', 'uniquelocal', '203.0.113.7', '2001:db8::/32', '2001:db9::9'])
  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.1', 'fd12::1', '203.0.113.7', '2001:db8::5', '2001:db9::9']) t.ok(named(address), address)
  for (const address of ['203.0.113.8', '8.8.8.8', '::ffff:8.8.8.8', '2001:db9::1', undefined]) t.notOk(named(address), String(address))
  t.ok(trustedPeer(['linklocal'])('169.254.1.1'))
  t.notOk(trustedPeer(undefined)('127.0.0.1'), 'unset: nobody')
  t.ok(trustedPeer(2)('8.8.8.8'), 'a hop count: the nearest peer is the proxy')
})
