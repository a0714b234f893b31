import t from 'tap'
import { usedRefreshes } from '../../src/login/used-refreshes.js'

const now = () => Math.floor(Date.now() / 1000)

t.test('a refresh token is usable once, until its expiry', async t => {
  const used = usedRefreshes()
  t.equal(await used.claim('a', now() + 60), 'first')
  t.equal(await used.claim('a', now() + 60), 'reused')
  t.equal(await used.claim('b', now() + 60), 'first')
})

t.test('when full of live entries it refuses rather than forgets; expired entries make room', async t => {
  const used = usedRefreshes(2)
  t.equal(await used.claim('live', now() + 60), 'first')
  t.equal(await used.claim('gone', now() - 1), 'first')
  t.equal(await used.claim('gone', now() + 60), 'first', 'an expired entry no longer counts as used')
  t.equal(await used.claim('new', now() + 60), 'store_full', 'two live entries: no room, and nothing forgotten')
  t.equal(await used.claim('live', now() + 60), 'reused')
  const pruned = usedRefreshes(2)
  await pruned.claim('old', now() - 1)
  await pruned.claim('live', now() + 60)
  t.equal(await pruned.claim('new', now() + 60), 'first', 'the expired entry was pruned to make room')
  t.equal(await pruned.claim('live', now() + 60), 'reused')
})
