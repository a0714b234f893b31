/**
 * Secret hygiene: a whole session against the real server process at LOG_LEVEL=trace, and afterwards
 * no secret in its stdout/stderr nor in any error body. Secrets: JWT_APP_SECRET, the RSA private key
 * (PEM, its base64 lines, its private JWK parameters), every API key (valid or not), METRICS_TOKEN,
 * a secret given to the token doctor, and every token issued (whole or its signature).
 * The session: tokens issued, unknown keys and keys used in the wrong place, grant violations, invalid
 * bodies carrying secrets, the doctor with a supplied secret, /metrics with and without its token,
 * tokens in query strings, a SIGHUP reload with a broken key or clients file, then SIGTERM.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { generateApiKey } from '../../src/clients/api-keys.js'
import { FULL_GRANTS } from '../../src/clients/grants.js'
import { tempDir, writeClientsFile } from '../helper.js'
import { listeningOrigin, spawnServer } from '../support/server-process.js'

interface Secret { name: string, value: string }
interface Answer { label: string, status: number, body: string }

function rsaKeySecrets (label: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string
  const lines = pem.split('\n').filter(line => line && !line.startsWith('-----'))
  const jwk = privateKey.export({ format: 'jwk' })
  const secrets: Secret[] = [
    { name: `${label} private key PEM`, value: pem.trim() },
    { name: `${label} private key base64`, value: lines.join('') },
    // A line of the private PEM could repeat one of the public key (they share the modulus): only the others count.
    ...lines.filter(line => !publicPem.includes(line)).map((line, i) => ({ name: `${label} private key PEM line ${i}`, value: line })),
    ...(['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).map(field => ({ name: `${label} private JWK ${field}`, value: jwk[field]! }))
  ]
  return { pem, secrets }
}

async function session (t: Test, algorithm: 'HS256' | 'RS256') {
  const dir = tempDir()
  const { file: jsonFile, keys } = writeClientsFile([
    { id: 'lms', grants: FULL_GRANTS },
    { id: 'widget', grants: { rooms: ['course-*'], moderator: false, features: [] } }
  ], dir)
  // JSON is YAML: the RS256 session reads the same clients as YAML, whose parser quotes broken lines.
  const clientsFile = algorithm === 'HS256' ? jsonFile : join(dir, 'clients.yaml')
  if (clientsFile !== jsonFile) copyFileSync(jsonFile, clientsFile)
  const appSecret = randomBytes(32).toString('hex')
  const metricsToken = randomBytes(32).toString('base64url')
  const unknownKey = generateApiKey()
  const doctorSecret = randomBytes(24).toString('hex')
  const secrets: Secret[] = [
    { name: 'API key lms', value: keys.lms! },
    { name: 'API key widget', value: keys.widget! },
    { name: 'unknown API key', value: unknownKey },
    { name: 'METRICS_TOKEN', value: metricsToken },
    { name: 'secret given to the doctor', value: doctorSecret }
  ]
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'trace',
    JWT_APP_ID: 'hygiene-app',
    PUBLIC_URL: 'https://meet.example.org',
    CLIENTS_FILE: clientsFile,
    METRICS_TOKEN: metricsToken,
    SHUTDOWN_DRAIN: '0',
    JWT_SIGN_TYPE: algorithm
  }
  const keyFile = join(dir, 'jwt-private.pem')
  if (algorithm === 'HS256') {
    env.JWT_APP_SECRET = appSecret
    secrets.push({ name: 'JWT_APP_SECRET', value: appSecret })
  } else {
    const key = rsaKeySecrets('signing')
    writeFileSync(keyFile, key.pem, { mode: 0o600 })
    Object.assign(env, { JWT_PRIVATE_KEY_FILE: keyFile, JWT_KID: 'hygiene-1' })
    secrets.push(...key.secrets)
  }

  const server = spawnServer(env)
  t.teardown(() => { server.child.kill('SIGKILL') })
  const origin = await listeningOrigin(server)
  const answers: Answer[] = []
  const tokens: string[] = []
  async function send (label: string, path: string, init: { key?: string, type?: string, body?: string } = {}) {
    const headers: Record<string, string> = {}
    if (init.key !== undefined) headers.authorization = `Bearer ${init.key}`
    if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json'
    const res = await fetch(origin + path, { method: init.body === undefined ? 'GET' : 'POST', headers, body: init.body })
    const answer = { label, status: res.status, body: await res.text() }
    answers.push(answer)
    if (res.status === 201) tokens.push(JSON.parse(answer.body).token)
    return answer
  }
  const issue = (label: string, key: string | undefined, body: object | string, type?: string) =>
    send(label, '/tokens', { key, type, body: typeof body === 'string' ? body : JSON.stringify(body) })

  // Tokens, for both clients.
  t.equal((await issue('issue lms', keys.lms, { room: 'Daily Standup', tenant: 'acme', context: { user: { name: 'Alice', moderator: true } } })).status, 201)
  t.equal((await issue('issue widget', keys.widget, { room: 'course-1' })).status, 201)
  const [token] = tokens as [string]
  secrets.push(...tokens.flatMap((issued, i) => [
    { name: `issued token ${i}`, value: issued },
    { name: `issued token ${i} signature`, value: issued.split('.')[2]! }
  ]))

  // Credentials that are wrong, or right but in the wrong place.
  t.equal((await issue('unknown key', unknownKey, { room: 'x' })).status, 401)
  t.equal((await issue('metrics token as API key', metricsToken, { room: 'x' })).status, 401)
  t.equal((await issue('issued token as API key', token, { room: 'x' })).status, 401)
  t.equal((await issue('JWT_APP_SECRET as API key', appSecret, { room: 'x' })).status, 401)

  // Grant violations and invalid bodies, some carrying secrets in the offending fields.
  t.equal((await issue('outside grant', keys.widget, { room: 'staff', context: { user: { moderator: true } } })).status, 403)
  t.equal((await issue('invalid fields', keys.lms, { room: 'a?b', ttl: -1, apiKey: keys.lms, context: { user: { name: token, email: metricsToken.repeat(20) } } })).status, 400)
  t.equal((await issue('invalid room with a secret', keys.lms, { room: `${appSecret}?` })).status, 400)
  t.equal((await issue('unreadable JSON', keys.lms, `{"room": "${keys.lms}", "token": "${token}"`)).status, 400)
  t.equal((await issue('not JSON', keys.lms, `room=${token}`, 'text/plain')).status, 415)
  t.equal((await issue('too large', keys.lms, JSON.stringify({ room: 'big', pad: keys.lms!.repeat(1000) }))).status, 413)

  // The doctor, with this service's keys and with a supplied secret.
  t.equal((await send('doctor', '/tokens/verify', { key: keys.lms, body: JSON.stringify({ token, room: 'Daily Standup', tenant: 'acme' }) })).status, 200)
  t.equal((await send('doctor with a secret', '/tokens/verify', { key: keys.lms, body: JSON.stringify({ token, room: 'Daily Standup', tenant: 'acme', prosody: { algorithm: 'HS256', secret: doctorSecret } }) })).status, 200)
  t.equal((await send('doctor, bad body', '/tokens/verify', { key: keys.lms, body: JSON.stringify({ token, prosody: { secret: doctorSecret, extra: appSecret } }) })).status, 400)

  // Metrics, health and keys; tokens in query strings.
  t.equal((await send('metrics without token', '/metrics')).status, 401)
  t.equal((await send('metrics with an API key', '/metrics', { key: keys.lms })).status, 401)
  t.equal((await send('metrics', '/metrics', { key: metricsToken })).status, 200)
  t.equal((await send('health with a token in the query', `/health?jwt=${token}`)).status, 200)
  t.equal((await send('unknown route with a token in the query', `/meet?jwt=${token}&key=${keys.lms}`)).status, 404)
  t.equal((await send('jwks', '/.well-known/jwks.json')).status, 200)

  // SIGHUP with broken files holding secrets (a key pasted in place of its hash, half a PEM): the
  // errors are logged, without the secrets, and the service goes on with what it had.
  writeFileSync(clientsFile, algorithm === 'HS256'
    ? `{"clients": [{"id": "lms", "apiKeySha256": "${keys.lms}" "grants": {}}]}`
    : `clients:\n  - id: lms\n    apiKeySha256: ${keys.lms}\n   grants: [\n`)
  if (algorithm === 'RS256') {
    const next = rsaKeySecrets('replacement')
    secrets.push(...next.secrets)
    writeFileSync(keyFile, next.pem.slice(0, Math.floor(next.pem.length / 2)))
  }
  server.child.kill('SIGHUP')
  await server.waitForStdout(/"event":"clients.reload_failed"/)
  if (algorithm === 'RS256') await server.waitForStdout(/"event":"keys.reload_failed"/)
  t.equal((await issue('after the failed reload', keys.lms, { room: 'still works' })).status, 201)
  secrets.push({ name: 'token issued after the reload', value: tokens.at(-1)! })

  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
  const output = server.stdout() + server.stderr()
  const levels = new Set(server.logs().map(line => line.level))
  t.ok(levels.has(20), 'debug lines were written (the /metrics access line), so the level was low')
  t.ok(server.logs().some(line => line.event === 'token.refused' && line.status === 400), 'refusals were logged')

  const leaks: string[] = []
  for (const secret of secrets) {
    if (output.includes(secret.value)) leaks.push(`${secret.name} in stdout/stderr`)
    for (const answer of answers) {
      // A 201 carries its own token (and the link with it), nothing else.
      const ownToken = answer.status === 201 && (JSON.parse(answer.body).token as string).includes(secret.value)
      if (!ownToken && answer.body.includes(secret.value)) leaks.push(`${secret.name} in the answer to "${answer.label}" (${answer.status})`)
    }
  }
  t.same(leaks, [], `none of ${secrets.length} secrets in ${output.length} characters of output or in ${answers.length} answers`)
  if (process.env.HYGIENE_DUMP) process.stderr.write(output)
}

t.test('HS256 with JWT_APP_SECRET', t => session(t, 'HS256'))
t.test('RS256 with a private key file', t => session(t, 'RS256'))
