import t from 'tap'
import { applyEnvChanges, readEnvValues } from '../../src/deploy/env-file.js'
import { upsertBlock } from '../../src/deploy/marked-block.js'

t.test('.env edits: in place (the last line, which Compose uses), new lines under one heading, the rest kept', async t => {
  const text = '# mine\nA=1\nexport B="two words"\nA=2\n'
  t.same(readEnvValues(text), { A: '2', B: 'two words' })
  t.equal(applyEnvChanges(text, []), text)
  t.equal(applyEnvChanges(text, [{ name: 'A', before: '2', after: '3', why: '' }]), '# mine\nA=1\nexport B="two words"\nA=3\n')
  const once = applyEnvChanges(text, [{ name: 'C', after: 'x', why: '' }])
  t.equal(once, `${text}\n# jitsi-token-service (written by \`jitsi-token-service init\`)\nC=x\n`)
  t.equal(applyEnvChanges(once, [{ name: 'D', after: 'y', why: '' }]), `${once}D=y\n`, 'the heading is written once')
  t.equal(applyEnvChanges('', [{ name: 'C', after: 'x', why: '' }]), '\n# jitsi-token-service (written by `jitsi-token-service init`)\nC=x\n')
})

t.test('marked blocks: added after the file\'s own lines, replaced whole on the next run', async t => {
  const first = upsertBlock('mine;', 'ours v1', '#')
  t.match(first, /^mine;\n\n# BEGIN jitsi-token-service .*\nours v1\n# END jitsi-token-service\n$/)
  t.equal(upsertBlock(first, 'ours v1', '#'), first, 'idempotent')
  t.equal(upsertBlock(`${first}after;\n`, 'ours v2', '#'), `${first.replace('v1', 'v2')}after;\n`)
  t.match(upsertBlock('', 'x', '//'), /^\/\/ BEGIN jitsi-token-service .*\nx\n\/\/ END jitsi-token-service\n$/)
})
