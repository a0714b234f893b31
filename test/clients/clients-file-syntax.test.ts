/**
 * Issue 12 item 9: a CLIENTS_FILE that does not parse is reported by line, column and reason, never
 * by quoting it: the parsers' own messages carry snippets, and a key pasted by mistake would reach
 * stderr and the logs. The same for OIDC_GRANTS.
 */
import t from 'tap'
import { ClientsFileError, parseClients } from '../../src/clients/clients-file.js'
import { loadOidcConfig } from '../../src/oidc/oidc-config.js'

const KEY = 'jts_Sup3rSecretApiKeyValue'

function refusal (text: string, file: string): string {
  try {
    parseClients(text, file)
  } catch (error) {
    if (error instanceof ClientsFileError) return error.message
    throw error
  }
  throw new Error('parsed')
}

t.test('JSON syntax errors name the place and the kind of mistake, never the text', async t => {
  const cases: Array<[string, string, string]> = [
    ['a key where a value belongs', `{"clients": [{"id": "lms",\n  "apiKeySha256": ${KEY}}]}`, 'line 2, column 19: unexpected character'],
    ['the key alone', KEY, 'line 1, column 1: unexpected character'],
    ['a key after the document', `{"clients": []}\n${KEY}`, 'line 2, column 1: Unexpected non-whitespace character after JSON'],
    ['a trailing comma', '{"clients": [],\n}', 'line 2, column 1: Expected double-quoted property name'],
    ['a key with a line break in a string', `{"clients": "${KEY}\n"}`, 'line 1, column 40: Bad control character in string literal'],
    ['cut off in a string', `{"clients": [{"id": "${KEY}`, 'it ends early (a closing bracket, brace or quote is missing)'],
    ['a string with a line break', `{"clients": [{"id": "${KEY}\n"}]}`, 'line 1, column 48: Bad control character in string literal'],
    ['cut off after a comma', '{"clients": [{"id": "lms",', 'it ends early (a closing bracket, brace or quote is missing)'],
    ['cut off', '{"clients": [{"id": ', 'it ends early (a closing bracket, brace or quote is missing)'],
    ['a bare word value', `{"clients": tru${KEY}}`, 'line 1, column 16: unexpected character']
  ]
  for (const [why, text, expected] of cases) {
    const message = refusal(text, 'clients.json')
    t.equal(message, `CLIENTS_FILE clients.json: cannot be parsed as JSON: ${expected}`, why)
    t.notMatch(message, /Sup3r|jts_/, `${why}: the key is not quoted`)
  }
})

t.test('YAML syntax errors name the place and yaml\'s error code, never the lines', async t => {
  const cases: Array<[string, string, string]> = [
    ['a key as a nested mapping', `clients:\n  - id: lms\n    apiKeySha256: ${KEY}: x`, 'line 3, column 19: block as implicit key'],
    ['bad indentation', `clients:\n - id: lms\n  apiKey: ${KEY}`, 'line 3, column 1: missing char'],
    ['an unclosed quote', `clients: "${KEY}`, 'line 1, column 37: missing char'],
    ['an alias to nothing', `clients: *${KEY}`, 'an alias refers to an anchor that is not defined before it'],
    ['a duplicate key', `clients: []\nclients: ${KEY}`, 'line 2, column 1: duplicate key']
  ]
  for (const [why, text, expected] of cases) {
    const message = refusal(text, 'clients.yaml')
    t.equal(message, `CLIENTS_FILE clients.yaml: cannot be parsed as YAML: ${expected}`, why)
    t.notMatch(message, /Sup3r|jts_/, `${why}: the key is not quoted`)
  }
})

t.test('yaml\'s warnings, which quote the text, are not printed', async t => {
  const warnings: string[] = []
  const listener = (warning: Error) => warnings.push(warning.message)
  process.on('warning', listener)
  t.teardown(() => { process.off('warning', listener) })
  t.match(refusal(`clients: !!${KEY} []\nextra: 1`, 'clients.yml'), /field extra/)
  await new Promise(resolve => setImmediate(resolve))
  t.same(warnings, [])
})

t.test('OIDC_GRANTS syntax errors do not quote the variable either', async t => {
  const env = { OIDC_ISSUER: 'https://idp.example.org', OIDC_AUDIENCE: 'jitsi', OIDC_GRANTS: `{"rooms": [${KEY}]}` }
  t.throws(() => loadOidcConfig(env, true), { message: /^OIDC_GRANTS.*is not valid JSON: line 1, column 12: unexpected character$/ })
  try { loadOidcConfig(env, true) } catch (error) { t.notMatch((error as Error).message, /Sup3r/) }
})
