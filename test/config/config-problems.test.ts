import t from 'tap'
import { ConfigError, problemLines } from '../../src/config/config-error.js'
import { ConfigProblems } from '../../src/config/config-problems.js'

t.test('problems are collected once per variable and thrown together', async t => {
  const problems = new ConfigProblems()
  problems.throwIfAny()
  t.equal(problems.check(() => { throw new ConfigError('A_FILE', 'cannot be read') }, 'fallback'), 'fallback')
  problems.add('A', 'is required')
  t.equal(problems.check(() => 42, 0), 42)
  problems.add('B', 'is wrong')
  t.throws(() => problems.throwIfAny(), { variable: 'A_FILE', message: 'A_FILE cannot be read; B is wrong', problems: [{ variable: 'A_FILE' }, { variable: 'B' }] })
})

t.test('a bug in a validator is not taken for a configuration problem', async t => {
  const problems = new ConfigProblems()
  t.throws(() => problems.check(() => { throw new TypeError('oops') }, undefined), TypeError)
  t.same(problems.found, [])
})

t.test('the lines the server prints: one per problem', async t => {
  t.same(problemLines(new ConfigError('A', 'is wrong', [{ variable: 'B', problem: 'is missing' }])), ['A is wrong', 'B is missing'])
  t.same(problemLines(new Error('unexpected')), ['unexpected'])
})
