/**
 * docker-compose.yml and env.example cannot be run here (no Docker engine), so they are parsed and
 * checked for what makes the token service and docker-jitsi-meet agree (jitsi-tokens.md §1.7, §5).
 * Each check is also run on a broken variant to prove it bites.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('../../', import.meta.url))
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8')
const envText = readFileSync(join(root, 'env.example'), 'utf8')

const JITSI_SERVICES = ['web', 'prosody', 'jicofo', 'jvb'] as const
/** Read by both sides from the one .env: what makes Prosody accept the service's tokens. */
const SHARED = ['JWT_APP_ID', 'JWT_APP_SECRET', 'XMPP_DOMAIN', 'PUBLIC_URL', 'JWT_SIGN_TYPE'] as const
const KEYSERVER = /JWT_ASAP_KEYSERVER=(\S+)/g

interface Service {
  image?: string
  build?: string | { context?: string }
  read_only?: boolean
  ports?: Array<string | { target?: number, published?: string | number }>
  volumes?: Array<string | { type?: string, source?: string, target?: string, read_only?: boolean }>
  environment?: string[] | Record<string, string | number | boolean | null>
  env_file?: string | string[]
  healthcheck?: { test?: string | string[], disable?: boolean }
  networks?: string[] | Record<string, { aliases?: string[] } | null>
}

interface EnvLine { name: string, value: string, active: boolean, index: number }

/** env.example lines that assign a variable, `NAME=value` (active) or `#NAME=value` (documented default). */
function parseEnvExample (text: string): EnvLine[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const match = /^(#?)([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
    return match ? [{ name: match[2] ?? '', value: match[3] ?? '', active: match[1] === '', index }] : []
  })
}

/** `environment:` as a map; null = a bare name, passed through from .env. */
function environment (service: Service | undefined): Map<string, string | null> {
  const env = service?.environment ?? {}
  if (Array.isArray(env)) {
    return new Map(env.map(entry => {
      const equals = entry.indexOf('=')
      return equals < 0 ? [entry, null] : [entry.slice(0, equals), entry.slice(equals + 1)]
    }))
  }
  return new Map(Object.entries(env).map(([name, value]) => [name, value === null ? null : String(value)]))
}

/** Compose interpolation as a fresh `cp env.example .env` would see it. */
function interpolate (value: string, dotenv: Map<string, string>): string {
  return value.replace(/\$\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}/g, (_, name: string, operator: string | undefined, fallback: string) => {
    const set = dotenv.get(name)
    if (operator === ':-') return set || fallback
    if (operator === '-') return set ?? fallback
    return set ?? ''
  })
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value)
const falsy = (value: string | undefined) => value !== undefined && /^(0|false|no|off)$/i.test(value)

function networkNames (service: Service): string[] {
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {})
}

/** Everything the deployment must satisfy; an empty list means the files are fine. */
function composeProblems (compose: string, example: string): string[] {
  const problems: string[] = []
  const services = ((parse(compose) as { services?: Record<string, Service> } | null)?.services) ?? {}
  const envLines = parseEnvExample(example)
  const documented = new Set(envLines.map(line => line.name))
  const dotenv = new Map(envLines.filter(line => line.active).map(line => [line.name, line.value]))
  const resolve = (service: Service | undefined, name: string): string | undefined => {
    const value = environment(service).get(name)
    if (value === undefined) return undefined
    return value === null ? dotenv.get(name) : interpolate(value, dotenv)
  }

  // The token service
  const token = services['token-service']
  if (!token) return ['no token-service service']
  const context = typeof token.build === 'string' ? token.build : token.build?.context
  if (context !== '.') problems.push('token-service is not built from this directory')
  if (token.read_only !== true) problems.push('token-service is not read_only')
  const probe = [token.healthcheck?.test ?? []].flat().join(' ')
  if (token.healthcheck?.disable || !/\bnode\b.*dist\/healthcheck\.js/.test(probe)) problems.push('token-service healthcheck does not run node dist/healthcheck.js')
  if (/\b(curl|wget)\b/.test(probe)) problems.push('token-service healthcheck uses curl or wget (not in the image)')
  const ports = (token.ports ?? []).map(port => typeof port === 'string'
    ? { published: interpolate(port, dotenv).split(':').slice(-2, -1)[0], target: interpolate(port, dotenv).split(':').at(-1)?.replace(/\/tcp$/, '') }
    : { published: String(port.published), target: String(port.target) })
  if (!ports.some(port => port.target === '3000' && port.published === '3000')) problems.push('token-service is not published on port 3000')

  const clientsFile = resolve(token, 'CLIENTS_FILE')
  const volumes = (token.volumes ?? []).map(volume => {
    if (typeof volume !== 'string') return volume
    const [source, target, mode] = volume.split(':')
    return { source, target, read_only: mode?.split(',').includes('ro') ?? false }
  })
  const clientsVolume = volumes.find(volume => clientsFile !== undefined && volume.target === clientsFile)
  if (!clientsVolume || clientsVolume.source?.replace(/^\.\//, '') !== 'clients.json') problems.push('CLIENTS_FILE is not ./clients.json mounted into the container')
  else if (clientsVolume.read_only !== true) problems.push('clients.json is not mounted read-only')
  if (!networkNames(token).includes('meet.jitsi')) problems.push('token-service is not on the meet.jitsi network (Prosody cannot reach /asap)')

  // docker-jitsi-meet, pinned
  for (const name of JITSI_SERVICES) {
    const image = services[name]?.image
    const match = /^ghcr\.io\/jitsi\/([\w-]+):(.+)$/.exec(image ?? '')
    if (!match || match[1] !== name) {
      problems.push(`${name} does not use the ghcr.io/jitsi/${name} image`)
      continue
    }
    const tag = interpolate(match[2] ?? '', dotenv)
    if (!/^stable-\d+(-\d+)?$/.test(tag)) problems.push(`${name} image is not pinned to a stable- tag: ${tag || '(empty)'}`)
    if (match[2] !== /:(.+)$/.exec(services.web?.image ?? '')?.[1]) problems.push(`${name} image tag differs from web's`)
  }
  for (const line of envLines.filter(line => line.name === 'JITSI_IMAGE_VERSION')) {
    if (!/^stable-\d+(-\d+)?$/.test(line.value)) problems.push(`env.example JITSI_IMAGE_VERSION is not a stable- tag: ${line.value}`)
  }
  const prosody = services.prosody
  const aliases = Object.values((prosody?.networks ?? {}) as Record<string, { aliases?: string[] } | null>).flatMap(n => n?.aliases ?? [])
  if (!aliases.map(alias => interpolate(alias, dotenv)).includes('xmpp.meet.jitsi')) problems.push('prosody has no xmpp.meet.jitsi alias')
  for (const name of JITSI_SERVICES) {
    if (services[name] && !networkNames(services[name]).includes('meet.jitsi')) problems.push(`${name} is not on the meet.jitsi network`)
  }

  // One .env: the service and Prosody read the same variables, never a literal of their own
  for (const name of SHARED) {
    for (const [label, service] of [['token-service', token], ['prosody', prosody]] as const) {
      const value = environment(service).get(name)
      const same = value === null || new RegExp(`^\\$\\{${name}(?::?[-?][^}]*)?\\}$`).test(value ?? '')
      if (!same) problems.push(`${label} does not read ${name} from .env (${value === undefined ? 'missing' : value})`)
    }
    if (!documented.has(name)) problems.push(`${name} is not in env.example`)
  }
  if (JSON.stringify(token.env_file ?? null) !== JSON.stringify(prosody?.env_file ?? null)) problems.push('token-service and prosody use different env_file')

  // JWT authentication and token-driven moderator rights (§1.7)
  for (const name of ['web', 'prosody', 'jicofo'] as const) {
    if (!truthy(resolve(services[name], 'ENABLE_AUTH'))) problems.push(`${name}: ENABLE_AUTH is not on`)
  }
  for (const name of ['prosody', 'jicofo'] as const) {
    if (resolve(services[name], 'AUTH_TYPE') !== 'jwt') problems.push(`${name}: AUTH_TYPE is not jwt`)
  }
  if (!(resolve(prosody, 'XMPP_MUC_MODULES') ?? '').split(',').map(m => m.trim()).includes('token_affiliation')) problems.push('prosody: token_affiliation is not in XMPP_MUC_MODULES')
  if (!truthy(resolve(prosody, 'WAIT_FOR_HOST_DISABLE_AUTO_OWNERS'))) problems.push('prosody: WAIT_FOR_HOST_DISABLE_AUTO_OWNERS is not on')
  if (!falsy(resolve(services.jicofo, 'JICOFO_ENABLE_AUTH'))) problems.push('jicofo: JICOFO_ENABLE_AUTH is not off (every token user would be owner)')
  if (!falsy(resolve(services.jicofo, 'ENABLE_AUTO_OWNER'))) problems.push('jicofo: ENABLE_AUTO_OWNER is not off')
  const domainVerification = environment(prosody).get('JWT_ENABLE_DOMAIN_VERIFICATION')
  if (domainVerification !== undefined && domainVerification !== null) problems.push('prosody: JWT_ENABLE_DOMAIN_VERIFICATION is forced instead of left at docker\'s default')
  if (dotenv.has('JWT_ENABLE_DOMAIN_VERIFICATION')) problems.push('env.example sets JWT_ENABLE_DOMAIN_VERIFICATION instead of leaving docker\'s default')

  // docker-jitsi-meet's service accounts
  const needs: Array<[string, string]> = [['prosody', 'JICOFO_AUTH_PASSWORD'], ['prosody', 'JVB_AUTH_PASSWORD'], ['jicofo', 'JICOFO_AUTH_PASSWORD'], ['jvb', 'JVB_AUTH_PASSWORD']]
  for (const [service, name] of needs) {
    if (environment(services[service]).get(name) !== null) problems.push(`${service} does not take ${name} from .env`)
  }
  for (const name of ['JICOFO_AUTH_PASSWORD', 'JVB_AUTH_PASSWORD']) {
    if (!dotenv.has(name)) problems.push(`env.example has no ${name}= line to fill in`)
  }

  // RS256 variant: Prosody's key server is the service's /asap, without a trailing slash
  const keyservers = [...[...compose.matchAll(KEYSERVER)].map(m => ['docker-compose.yml', m[1] ?? '']),
    ...[...example.matchAll(KEYSERVER)].map(m => ['env.example', m[1] ?? ''])]
  for (const file of ['docker-compose.yml', 'env.example']) {
    if (!keyservers.some(([where]) => where === file)) problems.push(`${file} does not show the RS256 JWT_ASAP_KEYSERVER`)
  }
  for (const [file, value = ''] of keyservers) {
    if (value.endsWith('/')) problems.push(`${file}: JWT_ASAP_KEYSERVER ${value} ends with a slash (Prosody would request //<hash>.pem)`)
    const url = URL.canParse(value) ? new URL(value) : undefined
    if (!url || !services[url.hostname] || url.hostname !== 'token-service' || url.port !== '3000' || url.pathname.replace(/\/$/, '') !== '/asap') {
      problems.push(`${file}: JWT_ASAP_KEYSERVER ${value} is not http://token-service:3000/asap`)
    }
  }
  if (environment(prosody).get('JWT_ASAP_KEYSERVER') !== null) problems.push('prosody does not take JWT_ASAP_KEYSERVER from .env')
  if (dotenv.has('JWT_ASAP_KEYSERVER')) problems.push('env.example turns the key server on by default (HS256 tokens would then fail)')

  // env.example documents everything, holds no secret
  for (const [, name] of compose.matchAll(/\$\{([A-Za-z_]\w*)/g)) {
    if (name && !documented.has(name)) problems.push(`\${${name}} in docker-compose.yml is not documented in env.example`)
  }
  for (const [serviceName, service] of Object.entries(services)) {
    for (const [name, value] of environment(service)) {
      if (value === null && !documented.has(name)) problems.push(`${serviceName} passes ${name} through but env.example does not document it`)
    }
  }
  const lines = example.split(/\r?\n/)
  const seen = new Set<string>()
  for (const line of envLines) {
    const above = lines[line.index - 1] ?? ''
    if (!above.startsWith('#') || /^#?[A-Z][A-Z0-9_]*=/.test(above)) problems.push(`env.example: ${line.name} has no comment above it`)
    if (seen.has(line.name)) problems.push(`env.example: ${line.name} appears twice`)
    seen.add(line.name)
    if (/(PASSWORD|SECRET|_TOKEN)$/.test(line.name) && !/^(<[^>]*>)?$/.test(line.value)) problems.push(`env.example: ${line.name} holds a value instead of a placeholder`)
  }
  return problems
}

t.test('docker-compose.yml and env.example wire the service and docker-jitsi-meet together', async t => {
  t.same(composeProblems(composeText, envText), [])
})

t.test('the deployment pins the release jitsi-tokens.md was checked against', async t => {
  const services = (parse(composeText) as { services: Record<string, Service> }).services
  for (const name of JITSI_SERVICES) {
    t.equal(services[name]?.image, `ghcr.io/jitsi/${name}:\${JITSI_IMAGE_VERSION:-stable-11146-2}`)
  }
})

/** A compose `${expression}` reference, spelled out so that lint does not take it for a template. */
const ref = (expression: string) => '$' + '{' + expression + '}'

/** Replaces the n-th (1-based) occurrence of `search`. */
function replaceNth (text: string, search: string, replacement: string, n = 1): string {
  let at = -1
  for (let i = 0; i < n; i++) {
    at = text.indexOf(search, at + 1)
    if (at < 0) return text
  }
  return text.slice(0, at) + replacement + text.slice(at + search.length)
}

t.test('each check catches the mistake it is about', async t => {
  const composeBreaks: Array<[string, string, string, number, RegExp]> = [
    ['unpinned jvb', 'ghcr.io/jitsi/jvb:' + ref('JITSI_IMAGE_VERSION:-stable-11146-2'), 'ghcr.io/jitsi/jvb:' + ref('JITSI_IMAGE_VERSION:-unstable'), 1, /jvb image is not pinned/],
    ['service secret of its own', '      - JWT_APP_SECRET\n', '      - JWT_APP_SECRET=dev-secret\n', 1, /token-service does not read JWT_APP_SECRET/],
    ['prosody app id from another variable', '      - JWT_APP_ID\n', '      - JWT_APP_ID=' + ref('PROSODY_APP_ID') + '\n', 2, /prosody does not read JWT_APP_ID/],
    ['prosody without XMPP_DOMAIN', '      - XMPP_DOMAIN\n', '', 3, /prosody does not read XMPP_DOMAIN/],
    ['trailing slash', 'JWT_ASAP_KEYSERVER=http://token-service:3000/asap', 'JWT_ASAP_KEYSERVER=http://token-service:3000/asap/', 1, /ends with a slash/],
    ['keyserver elsewhere', 'JWT_ASAP_KEYSERVER=http://token-service:3000/asap', 'JWT_ASAP_KEYSERVER=http://localhost:3000/asap', 1, /is not http:\/\/token-service:3000\/asap/],
    ['writable root', 'read_only: true', 'read_only: false', 1, /token-service is not read_only/],
    ['undocumented variable', "'127.0.0.1:" + ref('TOKEN_SERVICE_PORT:-3000') + ":3000'", "'" + ref('TOKEN_SERVICE_BIND') + ':' + ref('TOKEN_SERVICE_PORT:-3000') + ":3000'", 1, /TOKEN_SERVICE_BIND/],
    ['other port', "'127.0.0.1:" + ref('TOKEN_SERVICE_PORT:-3000') + ":3000'", "'127.0.0.1:8080:8080'", 1, /port 3000/],
    ['internal auth', 'AUTH_TYPE=jwt', 'AUTH_TYPE=internal', 1, /prosody: AUTH_TYPE is not jwt/],
    ['jicofo auth', ref('JICOFO_ENABLE_AUTH:-0'), ref('JICOFO_ENABLE_AUTH:-1'), 1, /JICOFO_ENABLE_AUTH is not off/],
    ['no token_affiliation', ref('XMPP_MUC_MODULES:-token_affiliation'), ref('XMPP_MUC_MODULES:-'), 1, /token_affiliation/],
    ['curl healthcheck', "test: ['CMD', 'node', 'dist/healthcheck.js']", "test: ['CMD', 'curl', '-f', 'http://127.0.0.1:3000/health/ready']", 1, /healthcheck/],
    ['writable clients.json', 'read_only: true\n        bind:', 'read_only: false\n        bind:', 1, /clients.json is not mounted read-only/],
    ['forced domain verification', '      - JWT_ENABLE_DOMAIN_VERIFICATION\n', '      - JWT_ENABLE_DOMAIN_VERIFICATION=true\n', 1, /JWT_ENABLE_DOMAIN_VERIFICATION is forced/],
    ['undocumented pass-through', '      - JVB_STUN_SERVERS\n', '      - JVB_SECRET_KNOB\n', 1, /passes JVB_SECRET_KNOB through/]
  ]
  for (const [what, search, replacement, n, expected] of composeBreaks) {
    const variant = replaceNth(composeText, search, replacement, n)
    t.not(variant, composeText, `${what}: the variant differs`)
    t.match(composeProblems(variant, envText).join('\n'), expected, what)
  }

  const envBreaks: Array<[string, string, string, RegExp]> = [
    ['real secret', '\nJWT_APP_SECRET=\n', '\nJWT_APP_SECRET=9f2c1e0b7a6d5c4b3a291807f6e5d4c3\n', /JWT_APP_SECRET holds a value/],
    ['uncommented variable', '# Longest lifetime, in seconds, any client may ask for.\n', '', /JWT_MAX_TTL has no comment/],
    ['undocumented ' + ref('VAR'), '#CONFIG=~/.jitsi-meet-cfg\n', '\n', /\$\{CONFIG\} in docker-compose.yml is not documented/],
    ['keyserver on by default', '#JWT_ASAP_KEYSERVER=', 'JWT_ASAP_KEYSERVER=', /turns the key server on/],
    ['keyserver slash in env.example', '#JWT_ASAP_KEYSERVER=http://token-service:3000/asap', '#JWT_ASAP_KEYSERVER=http://token-service:3000/asap/', /env.example: JWT_ASAP_KEYSERVER .* ends with a slash/],
    ['unpinned in .env', '#JITSI_IMAGE_VERSION=stable-11146-2', 'JITSI_IMAGE_VERSION=latest', /not pinned to a stable- tag: latest/],
    ['no password line', '\nJVB_AUTH_PASSWORD=\n', '\n#JVB_AUTH_PASSWORD=\n', /no JVB_AUTH_PASSWORD= line/],
    ['jicofo auth via .env', '#JICOFO_ENABLE_AUTH=0', 'JICOFO_ENABLE_AUTH=1', /JICOFO_ENABLE_AUTH is not off/]
  ]
  for (const [what, search, replacement, expected] of envBreaks) {
    const variant = envText.replace(search, replacement)
    t.not(variant, envText, `${what}: the variant differs`)
    t.match(composeProblems(composeText, variant).join('\n'), expected, what)
  }
})
