/**
 * `jitsi-token-service doctor`: the same checks as POST /tokens/verify from a shell, defaults from
 * the local environment; ✓/✗/⚠ lines, exit 1 when Prosody would reject the token.
 */
import { createHmac, generateKeyPairSync, sign } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { doctorCommand } from '../../src/cli/commands/doctor.js'
import { issueCommand } from '../../src/cli/commands/issue.js'
import { run } from '../../src/cli/main.js'
import { tempDir } from '../helper.js'
import { CLI_ENV, CLI_SECRET, captureIO } from './cli-io.js'

const NOW = () => Math.floor(Date.now() / 1000)
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const claims = (extra: object = {}) => ({ iss: 'my_app', aud: 'jitsi', sub: 'meet.jitsi', room: 'daily%20standup', nbf: NOW() - 30, exp: NOW() + 600, context: { user: { name: 'Alice' } }, ...extra })

function hs (payload: object, secret = CLI_SECRET, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

async function doctor (args: string[], env: Record<string, string> = CLI_ENV) {
  const io = captureIO()
  const code = await doctorCommand(env).run(args, io)
  return { code, stdout: io.stdout(), stderr: io.stderr() }
}

function file (name: string, text: string): string {
  const path = join(tempDir(), name)
  writeFileSync(path, text)
  return path
}

t.test('a broken token: ✗ on each failing check, the verdict last, exit 1', async t => {
  const token = hs(claims({ aud: undefined, exp: (NOW() + 600) * 1000, room: 'Daily Standup' }), CLI_SECRET, { alg: 'HS256' })
  const { code, stdout } = await doctor([token, '--room', 'Daily Standup'])
  t.equal(code, 1)
  t.match(stdout, /^✓ token {6}The token is a JWT/)
  t.match(stdout, /\n✗ typ {8}The header has no typ/)
  t.match(stdout, /\n⚠ exp {8}exp \d+ looks like milliseconds/)
  t.match(stdout, /\n✗ aud {8}There is no aud/)
  t.match(stdout, /\n✗ room {7}room is "Daily Standup", but for "Daily Standup" the web client joins\n {13}"daily%20standup"/, 'long details wrap under the detail column')
  t.match(stdout, /\n\n✗ Prosody rejects this token: "Invalid typ"\. Fix the ✗ lines; the ⚠ line is worth fixing too\.\n$/)
  t.ok(stdout.split('\n').every(line => line.length <= 100), 'lines fit in 100 columns')
})

t.test('a token from `issue` passes, given as the meeting link itself', async t => {
  const io = captureIO()
  t.equal(await issueCommand(CLI_ENV).run(['--room', 'Daily Standup', '--name', 'Alice', '--tenant', 'acme', '--json'], io), 0)
  const { token, url } = JSON.parse(io.stdout())
  const viaLink = await doctor([url])
  t.equal(viaLink.code, 0)
  t.match(viaLink.stdout, /✓ room {7}room "daily%20standup" matches "daily%20standup", the room the web client joins for\n {13}"Daily Standup"/)
  t.match(viaLink.stdout, /✓ sub {8}sub "acme" matches the tenant "acme"/)
  t.match(viaLink.stdout, /\n\n✓ Prosody accepts this token\.\n$/)

  const otherTenant = await doctor([token, '--room', 'Daily Standup', '--tenant', 'globex'])
  t.equal(otherTenant.code, 1)
  t.match(otherTenant.stdout, /✗ sub {8}sub is "acme", but .* the tenant "globex"/s)

  const hash = await doctor([`https://meet.example.org/acme/Daily%20Standup#jwt=${encodeURIComponent(JSON.stringify(token))}`])
  t.equal(hash.code, 0, 'a JSON-quoted #jwt= is what the web client reads')

  const unquoted = await doctor([`https://meet.example.org/acme/Daily%20Standup?jwt=${token}#jwt=${token}`])
  t.equal(unquoted.code, 0)
  t.match(unquoted.stderr, /⚠ The link's #jwt= value is not a JSON string, so the web client ignores it/)
})

t.test('--json prints the API\'s answer', async t => {
  const { code, stdout } = await doctor([hs(claims()), '--room', 'Daily Standup', '--json'])
  t.equal(code, 0)
  const diagnosis = JSON.parse(stdout)
  t.equal(diagnosis.valid, true)
  t.equal(diagnosis.checks.length, 17)
  t.match(diagnosis.checks[4], { name: 'signature', ok: true, blocking: false, detail: /this service's JWT_APP_SECRET/ })
})

t.test('the Prosody to emulate: secret and public key files, algorithm, issuers, audiences, domain', async t => {
  const theirs = hs(claims({ iss: 'their-app', aud: 'their-aud', sub: 'meet.example.org' }), 'their-secret')
  const ours = await doctor([theirs])
  t.equal(ours.code, 1)
  t.match(ours.stdout, /Prosody rejects this token: "Invalid signature"/)
  const secretFile = file('secret', 'their-secret\n')
  const emulated = await doctor([theirs, '--secret-file', secretFile, '--issuer', 'their-app,other', '--audience', 'their-aud', '--domain-verification', 'off'])
  t.equal(emulated.code, 0)
  t.match(emulated.stdout, new RegExp(`signature matches the secret in ${secretFile}`))
  t.match(emulated.stdout, /⚠ sub {8}sub is "meet.example.org"; Prosody does not compare it/)
  const strict = await doctor([theirs, '--secret-file', secretFile, '--issuer', 'their-app', '--audience', 'their-aud', '--domain-verification', 'on', '--xmpp-domain', 'meet.example.org'])
  t.equal(strict.code, 0, 'sub is the XMPP domain of that deployment')

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'their/1' })}.${b64(claims())}`
  const rs = `${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`
  const keyFile = file('public.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string)
  const verified = await doctor([rs, '--algorithm', 'RS256', '--public-key-file', keyFile])
  t.equal(verified.code, 0)
  t.match(verified.stdout, /✓ kid {8}kid is "their\/1": Prosody fetches its public key from\n {13}<asap_key_server>\/[0-9a-f]{64}\.pem/)
})

t.test('--token-file keeps the token out of the shell history', async t => {
  const { code } = await doctor(['--token-file', file('token', `${hs(claims())}\n`), '--room', 'Daily Standup'])
  t.equal(code, 0)
})

t.test('without JWT_APP_ID or JWT_APP_SECRET, says what it cannot know', async t => {
  const { code, stdout, stderr } = await doctor([hs(claims())], { NODE_ENV: 'test' })
  t.equal(code, 1)
  t.match(stderr, /⚠ JWT_APP_ID is not set, so only iss "jitsi-token-service-dev" is accepted; set it as for Prosody or\s+pass --issuer/)
  t.match(stdout, /✗ signature {2}Cannot check the HS256 signature: no secret is known/)
})

t.test('usage errors exit 2 and say why', async t => {
  const cases: Array<[string[], RegExp]> = [
    [[], /give one token or meeting link/],
    [['a', 'b'], /give one token or meeting link/],
    [['--token-file', '/nonexistent/token'], /cannot read the token file \/nonexistent\/token \(ENOENT\)/],
    [['x', '--secret-file', '/nonexistent/secret'], /cannot read the secret file/],
    [['x', '--algorithm', 'ES256'], /--algorithm is ES256, which Prosody cannot verify/],
    [['x', '--domain-verification', 'maybe'], /--domain-verification must be on or off/],
    [['x', '--room', 'a/b'], /the room must not contain "\/"/],
    [['x', '--tenant', 'a b'], /the tenant must be/],
    [['https://meet.example.org/room'], /the link carries no \?jwt= or #jwt= token/],
    [['x', '--frobnicate'], /Unknown option '--frobnicate'/]
  ]
  for (const [args, message] of cases) {
    const { code, stderr } = await doctor(args)
    t.equal(code, 2, args.join(' '))
    t.match(stderr, message, args.join(' '))
    t.match(stderr, /Usage: jitsi-token-service doctor/)
  }
})

t.test('a broken environment reaches main, which names the variable', async t => {
  const error = await doctorCommand({ NODE_ENV: 'test', JWT_TTL: 'soon' }).run(['x'], captureIO()).catch((error: unknown) => error)
  t.match(error, { name: 'ConfigError', variable: 'JWT_TTL' })
  const io = captureIO()
  t.equal(await run(['doctor'], io), 2, 'dispatched by main')
  t.match(io.stderr(), /give one token or meeting link/)
})

t.test('in the container, doctor and issue need only the token settings, not the whole production configuration', async t => {
  // What token-service-cli gets: NODE_ENV=production from the image, the .env, no clients file yet,
  // and settings doctor and issue never use, some of which production would refuse.
  const container = { ...CLI_ENV, NODE_ENV: 'production', METRICS_TOKEN: 'short', OIDC_AUDIENCE: 'stray', RATE_LIMIT_MAX: 'lots' }
  const io = captureIO()
  t.equal(await issueCommand(container).run(['--room', 'standup', '--name', 'Alice'], io), 0, io.stderr())
  const [, url] = /^url +(\S+)$/m.exec(io.stdout()) ?? []
  const checked = await doctor([url!], container)
  t.equal(checked.code, 0, checked.stderr)
  t.match(checked.stdout, /✓ Prosody accepts this token/)
})

t.test('--env: docker-jitsi-meet\'s settings instead of Prosody\'s defaults', async t => {
  const wrongSub = hs(claims({ sub: 'meet.example.org' }))
  t.equal((await doctor([wrongSub])).code, 1, 'Prosody\'s default: domain verification on, sub must be the XMPP domain')
  const dockerEnv = file('.env', 'ENABLE_AUTH=1\nAUTH_TYPE=jwt\nJWT_APP_ID=my_app\nXMPP_MUC_MODULES=token_affiliation\n')
  const docker = await doctor([wrongSub, '--env', dockerEnv])
  t.equal(docker.code, 0, 'docker\'s default: domain verification off')
  t.match(docker.stdout, /⚠ sub {8}sub is "meet.example.org"; Prosody does not compare it/)
  const issuers = file('.env', 'ENABLE_AUTH=1\nAUTH_TYPE=jwt\nJWT_APP_ID=my_app\nJWT_ACCEPTED_ISSUERS=lms,crm\n')
  t.match((await doctor([hs(claims()), '--env', issuers])).stdout, /Prosody rejects this token: "invalid 'iss' claim"/)
  t.equal((await doctor([hs(claims()), '--env', issuers, '--issuer', 'my_app'])).code, 0, 'a flag still wins over the .env')
  const off = await doctor([hs(claims()), '--env', file('.env', 'TZ=UTC\n')])
  t.match(off.stderr, /⚠ .*\.env: Prosody does not verify tokens: set ENABLE_AUTH=1 and AUTH_TYPE=jwt/)
  t.match((await doctor([hs(claims()), '--env', join(tempDir(), 'missing.env')])), { code: 2, stderr: /cannot read the \.env .*missing\.env \(ENOENT\)/ })
})

t.test('--deployment: what the .env makes Jitsi do with tokens, and who becomes moderator', async t => {
  const dockerEnv = file('.env', 'ENABLE_AUTH=1\nAUTH_TYPE=jwt\nJWT_APP_ID=my_app\nXMPP_MUC_MODULES=token_affiliation,muc_wait_for_host\n')
  const report = await doctor(['--deployment', '--env', dockerEnv])
  t.equal(report.code, 0)
  t.match(report.stdout, /algorithm HS256, the shared JWT_APP_SECRET/)
  t.match(report.stdout, /domain verification off \(docker's default\)/)
  t.match(report.stdout, /MUC modules: token_affiliation, muc_wait_for_host, token_verification/)
  t.match(report.stdout, /guest token → moderator: jicofo authentication is on \(JICOFO_ENABLE_AUTH/)
  const fixed = file('.env', 'ENABLE_AUTH=1\nAUTH_TYPE=jwt\nJWT_APP_ID=my_app\nJWT_ACCEPTED_AUDIENCES=jitsi\nJWT_ENABLE_DOMAIN_VERIFICATION=true\nJWT_ASAP_KEYSERVER=http://token-service:3000/asap\nXMPP_MUC_MODULES=token_affiliation\nJICOFO_ENABLE_AUTH=0\nENABLE_AUTO_OWNER=0\n')
  const good = await doctor(['--deployment', '--env', fixed, hs(claims())])
  t.match(good.stdout, /algorithm RS256, public keys from http:\/\/token-service:3000\/asap/)
  t.match(good.stdout, /accepted iss my_app; accepted aud jitsi/)
  t.match(good.stdout, /domain verification on: sub must be the XMPP domain or the tenant/)
  t.match(good.stdout, /moderator token → moderator: token_affiliation .*\n {2}guest token → participant/)
  t.match(good.stdout, /Prosody rejects this token/, 'with a token too, the token\'s checks follow, with the .env\'s algorithm')
  const none = await doctor(['--deployment', '--env', file('.env', 'ENABLE_AUTH=1\nAUTH_TYPE=jwt\n')])
  t.match(none.stdout, /✗ JWT_APP_ID is empty.*\n.*\n.*accepted iss \(none: JWT_APP_ID is empty\); accepted aud \* \(any\)/)
  t.match(await doctor(['--deployment']), { code: 2, stderr: /--deployment reads docker-jitsi-meet's settings: give --env/ })
  t.match(report.stdout, /Meeting control: off/)
  const control = file('.env', 'ENABLE_AUTH=1\nAUTH_TYPE=jwt\nJWT_APP_ID=my_app\nGLOBAL_MODULES=muc_end_meeting\nXMPP_MODULES=muc_kick_participant,muc_size\n')
  const hsReport = await doctor(['--deployment', '--env', control])
  t.match(hsReport.stdout, /Meeting control: muc_end_meeting, muc_kick_participant, muc_size loaded\n {2}✗ GLOBAL_CONFIG sets no prosody_password_public_key_repo_url.*\n {2}✗ tokens are HS256: .*Invalid or incorrect alg/)
  const rs = await doctor(['--deployment', '--env', file('.env', 'ENABLE_AUTH=1\nAUTH_TYPE=jwt\nJWT_APP_ID=my_app\nJWT_SIGN_TYPE=RS256\nGLOBAL_MODULES=muc_end_meeting\nGLOBAL_CONFIG=prosody_password_public_key_repo_url = "http://token-service:3000/system-keys";\n')])
  t.match(rs.stdout, /Meeting control: muc_end_meeting loaded\nProve it/)
})
