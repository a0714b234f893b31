/** The chain store on its own (no Redis): single use per generation, chain revocation, logout, bounded memory. */
import t from 'tap'
import { refreshChains, type ChainToken } from '../../src/login/refresh-chains.js'

const now = () => Math.floor(Date.now() / 1000)
const token = (chain: string, generation: number, extra: Partial<ChainToken> = {}): ChainToken =>
  ({ chain, generation, loginAt: now() - 10, exp: now() + 3600, person: 'p', ...extra })

t.test('only the current generation refreshes; an older one revokes the chain, newer tokens included', async t => {
  const chains = refreshChains()
  t.equal(await chains.use(token('a', 0)), 'current')
  t.equal(await chains.use(token('a', 1)), 'current')
  t.equal(await chains.use(token('a', 0)), 'reused')
  t.equal(await chains.use(token('a', 2)), 'revoked', 'the thief\'s (or the owner\'s) newer token dies too')
  t.equal(await chains.use(token('b', 0)), 'current', 'other logins are untouched')
})

t.test('logout revokes the chains a person started before it', async t => {
  const chains = refreshChains()
  await chains.use(token('a', 0))
  await chains.logout('p', now() + 3600)
  t.equal(await chains.use(token('a', 1)), 'revoked')
  t.equal(await chains.use(token('c', 0, { person: 'q' })), 'current', 'someone else')
  t.equal(await chains.use(token('d', 0, { loginAt: now() + 5 })), 'current', 'a login after the logout')
})

t.test('memory: one entry per login, however long it refreshes; an evicted login is refused, never trusted', async t => {
  const chains = refreshChains(undefined, 2)
  for (let generation = 0; generation < 50; generation++) t.equal(await chains.use(token('loop', generation)), 'current')
  t.equal(await chains.use(token('x', 0, { exp: now() + 100 })), 'current')
  t.equal(await chains.use(token('y', 0, { exp: now() + 200 })), 'current')
  t.equal(await chains.use(token('loop', 49)), 'revoked', 'evicted (oldest): its replay is not accepted blindly')
  t.equal(await chains.use(token('z', 0, { exp: now() + 7200 })), 'current', 'a newer login is not affected')
  for (let person = 0; person < 5; person++) await chains.logout(`person-${person}`, now() + 60)
  t.equal(await chains.use(token('w', 0, { person: 'person-0', exp: now() + 8000 })), 'current', 'logout marks are bounded too (the oldest forgotten)')
})
