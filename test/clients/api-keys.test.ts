import t from 'tap'
import * as crypto from 'node:crypto'
import { API_KEY_PREFIX, findByApiKey, generateApiKey, hashApiKey } from '../../src/clients/api-keys.js'

const client = (id: string, key: string) => ({ id, apiKeySha256: hashApiKey(key) })

t.test('generated keys: recognisable prefix, 256 random bits in base64url, never a JWT', async t => {
  const key = generateApiKey()
  t.equal(API_KEY_PREFIX, 'jts_')
  t.match(key, /^jts_[A-Za-z0-9_-]{43}$/)
  t.equal(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url').length, 32)
  t.notMatch(key, /\./, 'no dots, so it cannot be mistaken for a JWT')
})

t.test('generated keys are unique', async t => {
  const keys = new Set(Array.from({ length: 1000 }, generateApiKey))
  t.equal(keys.size, 1000)
})

t.test('hashApiKey is SHA-256 of the UTF-8 key, as the clients file stores it', async t => {
  t.equal(hashApiKey('abc').toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  t.equal(hashApiKey('é').toString('hex'), crypto.createHash('sha256').update(Buffer.from('c3a9', 'hex')).digest('hex'))
})

t.test('findByApiKey finds the client whose hash matches', async t => {
  const keys = [generateApiKey(), generateApiKey(), generateApiKey()]
  const clients = keys.map((key, index) => client(`c${index}`, key))
  for (const [index, key] of keys.entries()) t.equal(findByApiKey(key, clients), clients[index], `key ${index}`)
  t.equal(findByApiKey(generateApiKey(), clients), undefined, 'an unknown key')
  t.equal(findByApiKey('', clients), undefined, 'an empty key')
  t.equal(findByApiKey(keys[0]!.toUpperCase(), clients), undefined, 'keys are case-sensitive')
  t.equal(findByApiKey(keys[0]!, []), undefined, 'no clients')
})

t.test('findByApiKey returns the first entry when two share a hash', async t => {
  const key = generateApiKey()
  const first = client('first', key)
  t.equal(findByApiKey(key, [first, client('second', key)]), first)
})

t.test('every entry is compared with crypto.timingSafeEqual, with no early exit', async t => {
  const calls: Array<[Buffer, Buffer]> = []
  const { findByApiKey: countedFind } = await t.mockImport<typeof import('../../src/clients/api-keys.js')>('../../src/clients/api-keys.js', {
    'node:crypto': {
      ...crypto,
      timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
        calls.push([Buffer.from(a as Buffer), Buffer.from(b as Buffer)])
        return crypto.timingSafeEqual(a, b)
      }
    }
  })
  const keys = Array.from({ length: 5 }, generateApiKey)
  const clients = keys.map((key, index) => client(`c${index}`, key))

  t.equal(countedFind(keys[0]!, clients), clients[0], 'the first client matches…')
  t.equal(calls.length, clients.length, '…and still every client was compared')
  t.same(calls.map(([, stored]) => stored), clients.map(entry => entry.apiKeySha256), 'each stored hash once, in order')
  t.ok(calls.every(([presented]) => presented.equals(hashApiKey(keys[0]!))), 'always against the hash of the presented key, never the key')

  calls.length = 0
  t.equal(countedFind(generateApiKey(), clients), undefined)
  t.equal(calls.length, clients.length, 'an unknown key costs the same number of comparisons')

  calls.length = 0
  t.equal(countedFind(keys[4]!, clients), clients[4])
  t.equal(calls.length, clients.length, 'so does the last client')
})
