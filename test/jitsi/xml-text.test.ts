import t from 'tap'
import { isXmlText, xmlTextProblem } from '../../src/jitsi/xml-text.js'

t.test('XML 1.0 Char: what presence can carry', async t => {
  for (const ok of ['Alice', 'tab\there', 'two\nlines\r', 'Zoë 😀', '\uE000\uFFFD', '']) t.ok(isXmlText(ok), JSON.stringify(ok))
  const cases: Array<[string, string]> = [['a\u001fb', 'U+001F'], ['\u0000', 'U+0000'], ['x\uD800', 'U+D800'], ['\uDC00y', 'U+DC00'], ['\uFFFE', 'U+FFFE'], ['\uFFFF', 'U+FFFF'], ['\u000B', 'U+000B']]
  for (const [bad, named] of cases) {
    t.notOk(isXmlText(bad), named)
    t.match(xmlTextProblem(bad), new RegExp(`contains ${named.replace('+', '\\+')}, which XML cannot carry`))
  }
  t.equal(xmlTextProblem('fine'), undefined)
})
