import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig, MIN_SECRET_LENGTH } from '../src/config.js'
import { configRefusal } from './helper.js'

const SECRET = 'x'.repeat(MIN_SECRET_LENGTH)
const PRODUCTION = {
  NODE_ENV: 'production',
  METRICS_PUBLIC: 'true',
  JWT_APP_ID: 'my-app',
  JWT_APP_SECRET: SECRET,
  PUBLIC_URL: 'https://meet.example.org',
  CLIENTS_FILE: '/etc/jitsi-token-service/clients.json'
}

t.test('with no configuration outside production: development defaults, each listed for the banner', async t => {
  const config = loadConfig({})
  t.equal(config.production, false)
  t.same([...config.developmentDefaults].sort(), ['CLIENTS_FILE', 'JWT_APP_ID', 'JWT_APP_SECRET', 'PUBLIC_URL'])
  t.equal(config.jwt.appId, 'jitsi-token-service-dev')
  t.equal(config.publicUrl, 'https://localhost:8443', 'docker-jitsi-meet\'s own default')
  t.ok(config.jwt.secret!.length >= MIN_SECRET_LENGTH, 'a random secret long enough for production')
  t.match(config.developmentApiKey, /^jts_/, 'a development client, since there is no CLIENTS_FILE')
  t.equal(config.clientsFile, undefined)
  t.match(config, {
    host: '127.0.0.1',
    port: 3000,
    logLevel: 'info',
    xmppDomain: 'meet.jitsi',
    jwt: { algorithm: 'HS256', audience: 'jitsi', ttl: 3600, maxTtl: 86_400, nbfSkew: 30 },
    corsOrigins: []
  })
  const again = loadConfig({})
  t.not(again.jwt.secret, config.jwt.secret, 'a fresh secret per start')
  t.not(again.developmentApiKey, config.developmentApiKey, 'and a fresh development key')
})

t.test('what is configured is not a development default', async t => {
  const config = loadConfig({ ...PRODUCTION, NODE_ENV: 'development' })
  t.same(config.developmentDefaults, [])
  t.equal(config.developmentApiKey, undefined, 'no development client when CLIENTS_FILE is set')
  t.equal(loadConfig({ JWT_APP_ID: 'a' }).developmentDefaults.includes('JWT_APP_ID'), false)
})

t.test('a complete production configuration loads', async t => {
  const config = loadConfig({ ...PRODUCTION, PUBLIC_URL: 'https://meet.example.org//', XMPP_DOMAIN: 'Meet.Jitsi', CORS_ORIGINS: 'https://a.example, https://b.example,' })
  t.equal(config.production, true)
  t.same(config.developmentDefaults, [])
  t.equal(config.jwt.secret, SECRET)
  t.equal(config.publicUrl, 'https://meet.example.org', 'trailing slashes are dropped')
  t.equal(config.xmppDomain, 'meet.jitsi', 'sub is compared as Prosody lower-cases it')
  t.same(config.corsOrigins, ['https://a.example', 'https://b.example'])
  t.equal(config.clientsFile, PRODUCTION.CLIENTS_FILE)
})

t.test('production refuses to start without what it needs, naming the variable', async t => {
  for (const variable of ['JWT_APP_SECRET', 'JWT_APP_ID', 'PUBLIC_URL', 'CLIENTS_FILE'] as const) {
    const error = configRefusal({ ...PRODUCTION, [variable]: undefined })
    t.equal(error.variable, variable)
    t.equal(error.message, `${variable} is required when NODE_ENV=production`)
  }
})

t.test('production refuses a short JWT_APP_SECRET', async t => {
  const error = configRefusal({ ...PRODUCTION, JWT_APP_SECRET: 'x'.repeat(MIN_SECRET_LENGTH - 1) })
  t.equal(error.variable, 'JWT_APP_SECRET')
  t.match(error.message, /^JWT_APP_SECRET is 31 characters; use at least 32/)
  t.equal(loadConfig({ JWT_APP_SECRET: 'short' }).jwt.secret, 'short', 'development accepts any secret')
})

t.test('the message never contains the secret', async t => {
  const secret = 'hunter2-is-not-long-enough'
  const error = configRefusal({ ...PRODUCTION, JWT_APP_SECRET: secret })
  t.notMatch(error.message, secret)
})

t.test('JWT_SIGN_TYPE: only what Prosody verifies', async t => {
  const cases: Array<[string, RegExp]> = [
    ['none', /unsigned tokens are rejected by Prosody/],
    ['ES256', /^JWT_SIGN_TYPE is ES256, which Prosody cannot verify/],
    ['PS256', /Prosody cannot verify/],
    ['HS999', /^JWT_SIGN_TYPE is not a known algorithm \(supported: HS256, HS384, HS512, RS256, RS384, RS512\)/]
  ]
  for (const [alg, message] of cases) {
    for (const env of [{ NODE_ENV: 'development', JWT_SIGN_TYPE: alg }, { ...PRODUCTION, JWT_SIGN_TYPE: alg }]) {
      const error = configRefusal(env)
      t.equal(error.variable, 'JWT_SIGN_TYPE', `${alg} in ${env.NODE_ENV}`)
      t.match(error.message, message)
    }
  }
  t.equal(loadConfig({ ...PRODUCTION, JWT_SIGN_TYPE: 'HS512' }).jwt.algorithm, 'HS512')
})

t.test('JWT_TTL may not exceed JWT_MAX_TTL', async t => {
  const error = configRefusal({ JWT_TTL: '7201', JWT_MAX_TTL: '7200' })
  t.equal(error.variable, 'JWT_TTL')
  t.equal(error.message, 'JWT_TTL (7201) is longer than JWT_MAX_TTL (7200)')
  t.match(loadConfig({ JWT_TTL: '7200', JWT_MAX_TTL: '7200' }).jwt, { ttl: 7200, maxTtl: 7200 })
})

t.test('bad numbers and values name the variable', async t => {
  const cases: Array<[Record<string, string>, string, string]> = [
    [{ JWT_TTL: 'an hour' }, 'JWT_TTL', 'JWT_TTL must be a whole number (given: "an hour")'],
    [{ JWT_TTL: '1.5' }, 'JWT_TTL', 'JWT_TTL must be a whole number (given: "1.5")'],
    [{ JWT_TTL: '0' }, 'JWT_TTL', 'JWT_TTL must be at least 1 (given: "0")'],
    [{ JWT_MAX_TTL: '99999999999' }, 'JWT_MAX_TTL', 'JWT_MAX_TTL must be at most 31536000 (given: "99999999999")'],
    [{ JWT_NBF_SKEW: '-1' }, 'JWT_NBF_SKEW', 'JWT_NBF_SKEW must be at least 0 (given: "-1")'],
    [{ PORT: '70000' }, 'PORT', 'PORT must be at most 65535 (given: "70000")'],
    [{ PORT: '80a' }, 'PORT', 'PORT must be a whole number (given: "80a")'],
    [{ PUBLIC_URL: 'meet.example.org' }, 'PUBLIC_URL', 'PUBLIC_URL must be an http(s) URL without query or fragment, e.g. https://meet.example.org (given: "meet.example.org")'],
    [{ PUBLIC_URL: 'https://meet.example.org:99999' }, 'PUBLIC_URL', 'PUBLIC_URL is not a URL (given: "https://meet.example.org:99999")'],
    [{ LOGIN_BASE_URL: 'https://x:99999/ts' }, 'LOGIN_BASE_URL', 'LOGIN_BASE_URL is not a URL (given: "https://x:99999/ts")'],
    [{ XMPP_DOMAIN: 'meet jitsi' }, 'XMPP_DOMAIN', 'XMPP_DOMAIN must be a domain name of letters, digits, "." and "-", e.g. meet.jitsi (given: "meet jitsi")'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (given: "verbose")'],
    [{ JWT_PROFILE: 'jitsy' }, 'JWT_PROFILE', 'JWT_PROFILE must be one of jitsi, jaas (given: "jitsy")'],
    [{ RATE_LIMIT_REDIS_URL: 'http://:hunter2@cache:6379' }, 'RATE_LIMIT_REDIS_URL', 'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL (given: 26 characters)'],
    [{ OIDC_MODERATOR_CLAIM: 'x'.repeat(201) }, 'OIDC_MODERATOR_CLAIM', `OIDC_MODERATOR_CLAIM must be at most 200 characters (given: "${'x'.repeat(77)}...")`]
  ]
  for (const [env, variable, message] of cases) {
    const error = configRefusal(env)
    t.equal(error.variable, variable, JSON.stringify(env))
    t.equal(error.message, message)
  }
  t.equal(loadConfig({ JWT_TTL: ' 600 ' }).jwt.ttl, 600, 'surrounding spaces are tolerated')
})

t.test('several bad variables: the first is named, every one is listed', async t => {
  const error = configRefusal({ PORT: 'x', JWT_TTL: 'y' })
  t.equal(error.variable, 'PORT')
  t.equal(error.message, 'PORT must be a whole number (given: "x"); JWT_TTL must be a whole number (given: "y")')
})

t.test('one run lists every problem, from the schema and from the rules after it, once per variable', async t => {
  const error = configRefusal({
    ...PRODUCTION,
    JWT_APP_SECRET: 'short',
    PUBLIC_URL: 'meet.example.org',
    JWT_APP_ID: undefined,
    JWT_TTL: '9000',
    JWT_MAX_TTL: '600',
    SHUTDOWN_DRAIN: '30000',
    OIDC_AUDIENCE: 'jitsi',
    METRICS_TOKEN: 'tiny',
    METRICS_TOKEN_FILE: '/run/secrets/metrics'
  })
  t.same(error.problems.map(problem => problem.variable),
    ['METRICS_TOKEN_FILE', 'PUBLIC_URL', 'JWT_APP_SECRET', 'OIDC_AUDIENCE', 'SHUTDOWN_TIMEOUT', 'JWT_TTL', 'JWT_APP_ID'])
  t.match(error.problems.find(problem => problem.variable === 'PUBLIC_URL'), { problem: /^must be an http\(s\) URL/ }, 'PUBLIC_URL once: its bad value, not also "is required"')
  t.notMatch(error.message, /tiny|short/, 'no secret value')
  t.notMatch(error.message, /\^|\[\^/, 'no regular expression')
})

t.test('production refuses a JWT_APP_SECRET that breaks Prosody\'s Lua configuration', async t => {
  for (const character of ['"', '\\']) {
    const secret = `${'a'.repeat(MIN_SECRET_LENGTH)}${character}b`
    const error = configRefusal({ ...PRODUCTION, JWT_APP_SECRET: secret })
    t.equal(error.variable, 'JWT_APP_SECRET')
    t.match(error.message, /contains " or \\, which breaks Prosody's configuration .*given: 34 characters/)
    t.notMatch(error.message, secret)
    t.equal(loadConfig({ JWT_APP_SECRET: secret }).jwt.secret, secret, 'development accepts it (no Prosody configured from it)')
  }
})

t.test('JWT_APP_SECRET_FILE: the secret read from a file, as Docker and Kubernetes mount it', async t => {
  const dir = t.testdir({
    newline: `${SECRET}\n`,
    crlf: `${SECRET}\r\n`,
    bare: SECRET,
    'two-newlines': `${SECRET}\n\n`
  })
  for (const file of ['newline', 'crlf', 'bare']) {
    const config = loadConfig({ ...PRODUCTION, JWT_APP_SECRET: undefined, JWT_APP_SECRET_FILE: join(dir, file) })
    t.equal(config.jwt.secret, SECRET, `${file}: one trailing line break is not part of the secret`)
    t.same(config.developmentDefaults, [])
  }
  t.equal(loadConfig({ JWT_APP_SECRET_FILE: join(dir, 'two-newlines') }).jwt.secret, `${SECRET}\n`, 'only one line break is removed')
  t.equal(loadConfig({ JWT_APP_SECRET: '', JWT_APP_SECRET_FILE: join(dir, 'bare') }).jwt.secret, SECRET, 'an empty JWT_APP_SECRET counts as unset')
})

t.test('JWT_APP_SECRET_FILE together with JWT_APP_SECRET is refused', async t => {
  const dir = t.testdir({ secret: SECRET })
  const error = configRefusal({ ...PRODUCTION, JWT_APP_SECRET_FILE: join(dir, 'secret') })
  t.equal(error.variable, 'JWT_APP_SECRET_FILE')
  t.equal(error.message, 'JWT_APP_SECRET_FILE is set together with JWT_APP_SECRET; set only one of them')
})

t.test('an unreadable JWT_APP_SECRET_FILE is refused, naming the file but not its contents', async t => {
  const dir = t.testdir({})
  const missing = join(dir, 'missing')
  const error = configRefusal({ ...PRODUCTION, JWT_APP_SECRET: undefined, JWT_APP_SECRET_FILE: missing })
  t.equal(error.variable, 'JWT_APP_SECRET_FILE')
  t.equal(error.message, `JWT_APP_SECRET_FILE cannot be read (ENOENT: ${missing})`)
  t.match(configRefusal({ JWT_APP_SECRET_FILE: dir }).message, /cannot be read \(EISDIR/, 'a directory')
})

t.test('a secret file that is too short is judged like JWT_APP_SECRET', async t => {
  const dir = t.testdir({ short: 'tiny\n' })
  const error = configRefusal({ ...PRODUCTION, JWT_APP_SECRET: undefined, JWT_APP_SECRET_FILE: join(dir, 'short') })
  t.equal(error.variable, 'JWT_APP_SECRET')
  t.notMatch(error.message, 'tiny')
})

t.test('a read error without an errno code still names the variable and file', async t => {
  const { resolveSecretFiles } = await t.mockImport<typeof import('../src/config/secret-files.js')>('../src/config/secret-files.js', {
    'node:fs': { readFileSync: () => { throw new Error('device fell off') } }
  })
  t.throws(() => resolveSecretFiles({ JWT_APP_SECRET_FILE: '/run/secrets/jwt' }, ['JWT_APP_SECRET']), {
    name: 'ConfigError', variable: 'JWT_APP_SECRET_FILE', message: 'JWT_APP_SECRET_FILE cannot be read (error: /run/secrets/jwt)'
  })
})

t.test('a file written by the test is read at load time, not cached', async t => {
  const dir = t.testdir({})
  const file = join(dir, 'secret')
  writeFileSync(file, 'a'.repeat(40))
  t.equal(loadConfig({ JWT_APP_SECRET_FILE: file }).jwt.secret, 'a'.repeat(40))
  writeFileSync(file, 'b'.repeat(40))
  t.equal(loadConfig({ JWT_APP_SECRET_FILE: file }).jwt.secret, 'b'.repeat(40))
})
