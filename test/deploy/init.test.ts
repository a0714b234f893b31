/**
 * `init` against a real docker-jitsi-meet layout made by the test (its compose file as in the compose
 * tests, env.example and a fresh .env), then `docker-compose config` (Debian's 1.29) over the result,
 * and the service built in production from exactly what the token-service container would get.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { initCommand } from '../../src/cli/commands/init.js'
import { loadConfig } from '../../src/config.js'
import { applyPlan } from '../../src/deploy/apply-plan.js'
import { planInit } from '../../src/deploy/init-plan.js'
import { captureIO } from '../cli/cli-io.js'
import { build, tempDir } from '../helper.js'

const fixture = fileURLToPath(new URL('fixtures/docker-jitsi-meet/', import.meta.url))
const CONTAINER_DIR = '/etc/jitsi-token-service'

function layout (extraEnv = '') {
  const dir = tempDir()
  const jitsi = join(dir, 'docker-jitsi-meet')
  cpSync(fixture, jitsi, { recursive: true })
  const example = readFileSync(join(jitsi, 'env'), 'utf8')
  writeFileSync(join(jitsi, 'env.example'), example)
  writeFileSync(join(jitsi, '.env'), example + extraEnv, { mode: 0o600 })
  return { jitsi, home: join(dir, 'home'), cfg: join(dir, 'home', '.jitsi-meet-cfg') }
}

async function init (home: string, args: string[]) {
  const io = captureIO()
  const status = await initCommand({ HOME: home }).run(args, io)
  return { status, out: io.stdout(), err: io.stderr() }
}

const API_KEY = /^jts_[\w-]+$/m

function composeConfig (cwd: string, home: string) {
  const result = spawnSync('docker-compose', ['config'], { cwd, env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' })
  return { status: result.status, stderr: result.stderr, merged: result.status === 0 ? parse(result.stdout) as { services: Record<string, { environment?: Record<string, string> }> } : undefined }
}

t.test('from a fresh checkout: plan, write, compose merges, the service starts in production, a second run changes nothing', async t => {
  const { jitsi, home, cfg } = layout()
  const envBefore = readFileSync(join(jitsi, '.env'), 'utf8')

  const missingUrl = await init(home, ['--docker-jitsi-meet', jitsi])
  t.equal(missingUrl.status, 1)
  t.match(missingUrl.err, /✗ \.env sets no PUBLIC_URL: give --public-url/)

  const args = ['--docker-jitsi-meet', jitsi, '--public-url', 'https://meet.example.org']
  const planned = await init(home, args)
  t.equal(planned.status, 0, planned.err)
  t.match(planned.out, /\+ ENABLE_AUTH=1 {4}\(every user needs a token\)/)
  t.match(planned.out, /\+ JWT_APP_SECRET=<new random secret, not shown>/)
  t.match(planned.out, /\+ XMPP_MUC_MODULES=token_affiliation/)
  t.match(planned.out, /\+ JICOFO_ENABLE_AUTH=0 {4}\(otherwise jicofo makes every token user owner\)/)
  t.match(planned.out, /\+ COMPOSE_FILE=docker-compose\.yml:.*token-service\.yml/)
  t.match(planned.out, /token-service\/metrics-token: a new random metrics token/)
  t.match(planned.out, /Nothing written: run again with --write/)
  t.equal(readFileSync(join(jitsi, '.env'), 'utf8'), envBefore, 'the plan writes nothing')
  t.notOk(existsSync(cfg))

  const written = await init(home, [...args, '--write'])
  t.equal(written.status, 0, written.err)
  const apiKey = API_KEY.exec(written.out)?.[0]
  t.ok(apiKey, 'the first client\'s API key is shown once')
  t.match(written.err, /shown only now/)
  const env = readFileSync(join(jitsi, '.env'), 'utf8')
  t.ok(env.startsWith(envBefore), 'the operator\'s lines are kept as they were')
  const secret = /^JWT_APP_SECRET=([0-9a-f]{64})$/m.exec(env)?.[1]
  t.ok(secret)
  t.notMatch(written.out + written.err + planned.out, secret!, 'the secret is never printed')
  const backups = readdirSync(jitsi).filter(name => name.startsWith('.env.bak-'))
  t.equal(backups.length, 1)
  t.equal(readFileSync(join(jitsi, backups[0]!), 'utf8'), envBefore, 'the backup is the .env before')
  t.equal(statSync(join(jitsi, backups[0]!)).mode & 0o777, 0o600, 'the backup is as private as .env')
  for (const name of ['metrics-token', 'clients.json']) t.equal(statSync(join(cfg, 'token-service', name)).mode & 0o777, 0o600, `${name} is private`)
  if (process.getuid?.() === 0) t.equal(statSync(join(cfg, 'token-service', 'clients.json')).uid, 1000, 'owned by the image\'s user')

  const { status, stderr, merged } = composeConfig(jitsi, home)
  t.equal(status, 0, stderr)
  const service = merged!.services['token-service']!.environment!
  const prosody = merged!.services.prosody!.environment!
  t.equal(service.JWT_APP_SECRET, prosody.JWT_APP_SECRET, 'Prosody and the service share the secret')
  t.equal(prosody.XMPP_MUC_MODULES, 'token_affiliation')
  t.equal(merged!.services.jicofo!.environment!.JICOFO_ENABLE_AUTH, '0')

  // What the container gets, with its mounted directory where init wrote it, in production.
  const containerEnv = Object.fromEntries(Object.entries(service).filter(([, value]) => value !== null).map(([name, value]) => [name, String(value).replace(CONTAINER_DIR, join(cfg, 'token-service'))]))
  const config = loadConfig({ ...containerEnv, NODE_ENV: 'production' })
  const { app } = await build(t, config)
  const issued = await app.inject({ method: 'POST', url: '/tokens', headers: { authorization: `Bearer ${apiKey}` }, payload: { room: 'first-meeting', context: { user: { name: 'Ada', moderator: true } } } })
  t.equal(issued.statusCode, 201, issued.body)
  t.match(issued.json().url, /^https:\/\/meet\.example\.org\/first-meeting\?jwt=/)

  const again = await init(home, [...args, '--write'])
  t.equal(again.status, 0)
  t.match(again.out, /Everything is in place/)
  rmSync(join(cfg, 'token-service', 'metrics-token'))
  const restored = await init(home, [...args, '--write'])
  t.match(restored.out, /^Written\.\n/m, 'a lost file is written again, .env untouched')
  t.ok(existsSync(join(cfg, 'token-service', 'metrics-token')))
  t.equal(readFileSync(join(jitsi, '.env'), 'utf8'), env, 'a second run changes nothing')
  t.equal(readdirSync(jitsi).filter(name => name.startsWith('.env.bak-')).length, 1, 'and backs nothing up')
})

t.test('existing settings: lists merged, values that defeat tokens changed with the reason, secrets kept', async t => {
  const mine = 'f'.repeat(64)
  const { jitsi, home, cfg } = layout(`PUBLIC_URL=https://meet.example.org
ENABLE_AUTH=true
JWT_APP_ID=my-company
JWT_APP_SECRET=${mine}
XMPP_MUC_MODULES=polls,muc_wait_for_host
JICOFO_ENABLE_AUTH=1
COMPOSE_FILE=docker-compose.yml:jibri.yml
`)
  const { status, out } = await init(home, ['--docker-jitsi-meet', jitsi])
  t.equal(status, 0)
  t.notMatch(out, /ENABLE_AUTH=true|JWT_APP_ID|JWT_APP_SECRET|PUBLIC_URL/, 'what already works is not touched')
  t.match(out, /~ XMPP_MUC_MODULES=polls,muc_wait_for_host → polls,muc_wait_for_host,token_affiliation/)
  t.match(out, /\+ WAIT_FOR_HOST_DISABLE_AUTO_OWNERS=1 {4}\(otherwise muc_wait_for_host makes every token user owner\)/)
  t.match(out, /~ JICOFO_ENABLE_AUTH=1 → 0/)
  t.match(out, /~ COMPOSE_FILE=docker-compose\.yml:jibri\.yml → docker-compose\.yml:jibri\.yml:.*token-service\.yml/)
  const io = captureIO()
  t.equal(await initCommand({ HOME: home }, { uid: 1234, chown: () => {} }).run(['--docker-jitsi-meet', jitsi, '--write'], io), 0)
  t.match(io.stderr(), /⚠ the container runs as uid 1000: run sudo chown -R 1000:1000 /)
  const env = readFileSync(join(jitsi, '.env'), 'utf8')
  t.match(env, new RegExp(`^JWT_APP_SECRET=${mine}$`, 'm'))
  t.match(env, /^JICOFO_ENABLE_AUTH=0$/m)
  t.equal(env.match(/^XMPP_MUC_MODULES=/gm)?.length, 1, 'one line, changed in place')

  // A clients file of the operator's is never replaced.
  writeFileSync(join(cfg, 'token-service', 'clients.json'), '{"clients": []}\n')
  const plan = planInit({ dockerJitsiMeet: jitsi, tokenServiceYml: '/x/token-service.yml', home, clientId: 'a' }, path => existsSync(path) ? readFileSync(path, 'utf8') : undefined)
  t.notOk(plan.files.some(file => file.path.endsWith('clients.json')))
})

t.test('what init refuses to work with', async t => {
  const bad = layout('PUBLIC_URL=https://meet.example.org\nJWT_APP_SECRET=has"quote\n')
  t.match((await init(bad.home, ['--docker-jitsi-meet', bad.jitsi])).err, /JWT_APP_SECRET contains " or \\/)
  const interpolated = layout(['PUBLIC_URL=https://meet.example.org:$', '{HTTPS_PORT}\n'].join(''))
  t.match((await init(interpolated.home, ['--docker-jitsi-meet', interpolated.jitsi])).err, /PUBLIC_URL refers to another variable/)
  const noUrl = layout()
  t.match((await init(noUrl.home, ['--docker-jitsi-meet', noUrl.jitsi, '--login', '--oidc-issuer', 'https://id.example.org', '--oidc-client-id', 'j'])).err, /sets no PUBLIC_URL/)
  const none = tempDir()
  const missing = await init(none, ['--docker-jitsi-meet', none])
  t.equal(missing.status, 1)
  t.match(missing.err, /\.env does not exist: in .* run cp env\.example \.env && \.\/gen-passwords\.sh first/)
  for (const [args, message] of [
    [['--public-url', 'http://meet.example.org'], /--public-url must be the https:\/\/ address/],
    [['--client-id', 'a b'], /--client-id must be/],
    [['--login'], /--login goes with both/],
    [['--oidc-issuer', 'https://id.example.org'], /--login goes with both/],
    [['--login', '--oidc-issuer', 'http://id', '--oidc-client-id', 'x'], /--oidc-issuer must be an https:\/\/ URL/],
    [['--frobnicate'], /Unknown option/]
  ] as Array<[string[], RegExp]>) {
    const result = await init(none, ['--docker-jitsi-meet', none, ...args])
    t.equal(result.status, 2, args.join(' '))
    t.match(result.err, message)
  }
})

t.test('--login: the login\'s lines, a login secret, nginx and config.js blocks beside the operator\'s own', async t => {
  const { jitsi, home, cfg } = layout('PUBLIC_URL=https://meet.example.org/\n')
  const nginx = join(cfg, 'web', 'nginx', 'custom-meet.conf')
  cpSync(fixture, join(cfg, 'web', 'nginx'), { recursive: true, filter: () => false })
  spawnSync('mkdir', ['-p', join(cfg, 'web', 'nginx')])
  writeFileSync(nginx, 'location /mine { return 204; }')
  const args = ['--docker-jitsi-meet', jitsi, '--login', '--oidc-issuer', 'https://id.example.org/realms/meet', '--oidc-client-id', 'jitsi', '--write']
  const { status, out } = await init(home, args)
  t.equal(status, 0, out)
  const env = readFileSync(join(jitsi, '.env'), 'utf8')
  t.match(env, /^XMPP_MUC_MODULES=token_affiliation,muc_wait_for_host$/m)
  t.match(env, /^WAIT_FOR_HOST_DISABLE_AUTO_OWNERS=1$/m)
  t.match(env, /^TOKEN_AUTH_URL=https:\/\/meet\.example\.org\/token-service\/login\?state=\{state\}&code_challenge=\{code_challenge\}&code_challenge_method=S256$/m)
  t.match(env, /^LOGIN_BASE_URL=https:\/\/meet\.example\.org\/token-service$/m)
  t.match(env, /^OIDC_CLIENT_ID=jitsi$/m)
  const conf = readFileSync(nginx, 'utf8')
  t.match(conf, /^location \/mine \{ return 204; \}\n\n# BEGIN jitsi-token-service/, 'the operator\'s own lines first, kept')
  t.match(conf, /location \/token-service\/login \{\n {4}proxy_pass http:\/\/token-service:3000\/login;/)
  t.match(readFileSync(join(cfg, 'web', 'custom-config.js'), 'utf8'), /config\.tokenLogoutUrl = "https:\/\/meet\.example\.org\/token-service\/logout";/)
  t.equal(statSync(join(cfg, 'token-service', 'login-secret')).mode & 0o777, 0o600)

  const again = await init(home, args)
  t.match(again.out, /Everything is in place/)
  t.equal(readFileSync(nginx, 'utf8'), conf)
  // A block edited by hand is put back; the rest of the file stays.
  writeFileSync(nginx, conf.replace('token-service:3000/login', 'elsewhere/login') + 'location /later { return 204; }\n')
  await init(home, args)
  t.equal(readFileSync(nginx, 'utf8'), conf + 'location /later { return 204; }\n')

  const values = Object.fromEntries(env.split('\n').flatMap(line => /^([A-Z_]+)=(.*)$/.exec(line)?.slice(1, 3) ?? []).reduce<string[][]>((pairs, item, index, all) => index % 2 === 0 ? [...pairs, [item, all[index + 1]!]] : pairs, []))
  const config = loadConfig({ ...values, LOGIN_SECRET_FILE: join(cfg, 'token-service', 'login-secret'), METRICS_TOKEN_FILE: join(cfg, 'token-service', 'metrics-token'), CLIENTS_FILE: join(cfg, 'token-service', 'clients.json'), NODE_ENV: 'production' })
  t.equal(config.login?.baseUrl, 'https://meet.example.org/token-service', 'the service takes the login as written')
})

t.test('a directory init cannot write: a clear error with the command that fixes it, nothing half-done', async t => {
  // /sys refuses new directories even to root.
  const { jitsi, home } = layout('PUBLIC_URL=https://meet.example.org\nCONFIG=/sys/jitsi-meet-cfg-test\n')
  const envBefore = readFileSync(join(jitsi, '.env'), 'utf8')
  const { status, err } = await init(home, ['--docker-jitsi-meet', jitsi, '--write'])
  t.equal(status, 1)
  t.match(err, /^jitsi-token-service init: cannot write \/sys\/jitsi-meet-cfg-test\/token-service\/\S+ \((EPERM|EACCES|EROFS)\): run sudo chown -R "\$\(id -u\)" \/sys\/jitsi-meet-cfg-test\/token-service/)
  t.equal(err.trim().split('\n').length, 1)
  t.equal(readFileSync(join(jitsi, '.env'), 'utf8'), envBefore, '.env is left as it was')
  t.same(readdirSync(jitsi).filter(name => name.startsWith('.env.bak-')), [])
})

t.test('an .env that cannot be read, or a CONFIG under a file: the reason, not a plan', async t => {
  const { jitsi, home } = layout()
  const dir = tempDir()
  spawnSync('mkdir', [join(dir, '.env')])
  t.match((await init(home, ['--docker-jitsi-meet', dir])).err, /cannot read .*\.env \(EISDIR\)/)
  writeFileSync(join(jitsi, '.env'), `PUBLIC_URL=https://meet.example.org\nCONFIG=${join(jitsi, 'env.example')}\n`)
  t.match(await init(home, ['--docker-jitsi-meet', jitsi, '--write']), { status: 1, err: /cannot read .*env\.example\/token-service\/\S+ \(ENOTDIR\)/ })
  // Without --docker-jitsi-meet: the checkout beside this repository, which this machine does not have.
  const io = captureIO()
  t.equal(await initCommand({}).run([], io), 1)
  t.match(io.stderr(), /docker-jitsi-meet\/\.env does not exist/)
})

t.test('a failure init does not expect is not disguised as a usage error', async t => {
  const { jitsi, home } = layout('PUBLIC_URL=https://meet.example.org\n')
  const chown = () => { throw new Error('chown refused by the file system') }
  await t.rejects(initCommand({ HOME: home }, { uid: 0, chown }).run(['--docker-jitsi-meet', jitsi, '--write'], captureIO()), /chown refused/)
  const plan = planInit({ dockerJitsiMeet: jitsi, tokenServiceYml: '/x/token-service.yml', home, clientId: 'a' }, () => undefined)
  t.throws(() => applyPlan({ ...plan, envChanges: [], files: [{ path: join(jitsi, '.env', 'x'), content: '', mode: 0o600, what: '' }] }), { code: 'EEXIST' }, 'a file where a directory must be')
})

t.test('CONFIG relative to the checkout, or unset (docker\'s ~/.jitsi-meet-cfg); an .env without a final newline', async t => {
  const { jitsi, home } = layout()
  writeFileSync(join(jitsi, '.env'), 'PUBLIC_URL=https://meet.example.org\nCONFIG=./cfg')
  const read = (path: string) => existsSync(path) ? readFileSync(path, 'utf8') : undefined
  const relativePlan = planInit({ dockerJitsiMeet: jitsi, tokenServiceYml: '/x/token-service.yml', home, clientId: 'a' }, read)
  t.equal(relativePlan.serviceDir, join(jitsi, 'cfg', 'token-service'))
  applyPlan(relativePlan, { uid: 1000, chown: () => {} })
  t.match(readFileSync(join(jitsi, '.env'), 'utf8'), /^CONFIG=\.\/cfg\n\n# jitsi-token-service \(written by/m)
  writeFileSync(join(jitsi, '.env'), 'PUBLIC_URL=https://meet.example.org\n')
  t.equal(planInit({ dockerJitsiMeet: jitsi, tokenServiceYml: '/x/token-service.yml', home, clientId: 'a' }, read).serviceDir, join(home, '.jitsi-meet-cfg', 'token-service'))
})

t.test('as another user than the image\'s, init says how to hand the directory over', async t => {
  const { jitsi, home } = layout('PUBLIC_URL=https://meet.example.org\n')
  const plan = planInit({ dockerJitsiMeet: jitsi, tokenServiceYml: '/x/token-service.yml', home, clientId: 'a' }, path => existsSync(path) ? readFileSync(path, 'utf8') : undefined)
  const chowned: string[] = []
  t.match(applyPlan(plan, { uid: 1234, chown: path => chowned.push(path) }), { ownershipNote: /sudo chown -R 1000:1000 .*token-service/ })
  t.same(chowned, [])
  const root = planInit({ dockerJitsiMeet: jitsi, tokenServiceYml: '/x/token-service.yml', home: tempDir(), clientId: 'a' }, path => existsSync(path) ? readFileSync(path, 'utf8') : undefined)
  t.notOk(applyPlan({ ...root, envChanges: [] }, { uid: 1000, chown: path => chowned.push(path) }).ownershipNote, 'the image\'s own user needs nothing')
  applyPlan({ ...root, envChanges: [] }, { uid: 0, chown: path => chowned.push(path) })
  t.ok(chowned.length >= 3, 'root hands the directory and its files to uid 1000')
})
