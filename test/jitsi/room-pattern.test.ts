import t from 'tap'
import { countQuantifiers, patternCaseNote, roomPatternProblem, upperCaseClasses } from '../../src/jitsi/room-pattern.js'

t.test('quantifiers are counted as Prosody counts them (PR #17803)', async t => {
  t.equal(countQuantifiers('course%-%d+'), 1, '%- is a literal hyphen; + is a quantifier')
  t.equal(countQuantifiers('a*b+c-d?'), 4)
  t.equal(countQuantifiers('[*+?-]x'), 0, 'inside a class nothing is a quantifier')
  t.equal(countQuantifiers('[%]*]'), 0, '%] does not close the class')
  t.equal(countQuantifiers('%%*'), 1, '%% is a literal %, then * counts')
  t.equal(countQuantifiers('[a]*'), 1)
})

t.test('a usable pattern passes; each reason to refuse is named', async t => {
  for (const pattern of ['course%-%d+', '^team%-[a-z]+$', 'room[%d]', '%bxy', '%f[%w]abc', '(a)(b)', '[]]', '[^]a]']) {
    t.equal(roomPatternProblem(pattern), undefined, pattern)
  }
  t.match(roomPatternProblem('x'.repeat(129)), /at most 128/)
  t.equal(roomPatternProblem('x'.repeat(128)), undefined)
  t.match(roomPatternProblem('daily standup'), /printable ASCII/)
  t.match(roomPatternProblem('тест.*'), /printable ASCII/)
  t.match(roomPatternProblem('a-b-c-d-'), /4 quantifiers.*%-/)
  t.match(roomPatternProblem('abc%'), /ends with "%"/)
  t.match(roomPatternProblem('%bx'), /%b" needs two characters/)
  t.match(roomPatternProblem('%fx'), /%f" must be followed by a \[set\]/)
  t.match(roomPatternProblem('[abc'), /"\[" without its "\]"/)
  t.match(roomPatternProblem('[%]'), /"\[" without its "\]"/)
  t.match(roomPatternProblem('(abc'), /"\(" without its "\)"/)
  t.match(roomPatternProblem('abc)'), /"\)" without its "\("/)
})

t.test('upper-case classes, which Jitsi before #17803 lower-cases into their opposites', async t => {
  t.same(upperCaseClasses('room%D+'), ['%D'])
  t.same(upperCaseClasses('[%W%d]x%S%W'), ['%W', '%S'], 'inside a set too, each once')
  t.same(upperCaseClasses('%%D'), [], '%% is a literal %, so D is a letter')
  t.same(upperCaseClasses('course%-%d+'), [])
  t.same(upperCaseClasses('ROOM%B'), [], 'letters and %B (not a class) are not classes')
  t.equal(patternCaseNote('course%-[a-z]+'), undefined)
  t.match(patternCaseNote('room%D+'), /uses %D: Jitsi before jitsi-meet#17803.*\(%d\)\. Write \[\^%d\] instead/)
})
