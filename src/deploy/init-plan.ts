/**
 * What `init` would change in a docker-jitsi-meet checkout so that Jitsi and this service share one
 * configuration and the token decides who is moderator (docs/deployment.md, the settings of
 * src/jitsi/deployment-roles.ts). Planning reads only; applying is apply-plan.ts. An existing value is
 * kept unless it defeats the tokens (then the plan says why it changes); a secret is never replaced.
 */
import { randomBytes } from 'node:crypto'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { generateApiKey, hashApiKey } from '../clients/api-keys.js'
import { dockerBool, dockerList } from '../jitsi/docker-env.js'
import { readEnvValues, type EnvChange, type EnvValues } from './env-file.js'
import { upsertBlock } from './marked-block.js'

export interface LoginOptions {
  issuer: string
  clientId: string
}

export interface InitOptions {
  /** The docker-jitsi-meet checkout. */
  dockerJitsiMeet: string
  /** This repository's token-service.yml, for COMPOSE_FILE. */
  tokenServiceYml: string
  home: string
  publicUrl?: string
  clientId: string
  login?: LoginOptions
}

export interface PlannedFile {
  path: string
  content: string
  mode: number
  /** For the plan: what the file is; never its content when it holds a secret. */
  what: string
}

export interface InitPlan {
  envPath: string
  envChanges: EnvChange[]
  /** Files to create or change; files that exist and need nothing are left out. */
  files: PlannedFile[]
  /** The directory the service's container mounts (${CONFIG}/token-service). */
  serviceDir: string
  /** Set when clients.json is created: the first client's API key, shown once after writing. */
  apiKey?: string
  problems: string[]
}

/** Where the service's files are inside its container (token-service.yml mounts ${CONFIG}/token-service). */
const CONTAINER_DIR = '/etc/jitsi-token-service'
const secret = () => randomBytes(32).toString('hex')

function configDir (values: EnvValues, options: InitOptions): string {
  const config = values.CONFIG ?? '~/.jitsi-meet-cfg'
  const expanded = config.replace(/^~(?=\/|$)/, options.home)
  return isAbsolute(expanded) ? expanded : resolve(options.dockerJitsiMeet, expanded)
}

class EnvPlanner {
  readonly changes: EnvChange[] = []
  constructor (private readonly values: EnvValues) {}

  current (name: string): string | undefined {
    return this.changes.find(change => change.name === name)?.after ?? this.values[name]
  }

  /** Set unless already set to something that means the same. */
  ensure (name: string, value: string, why: string, same = (current: string) => current === value): void {
    const before = this.values[name]
    if (before !== undefined && same(before)) return
    this.changes.push({ name, ...(before !== undefined ? { before } : {}), after: value, why })
  }

  /** Set only when absent: the operator's value wins. */
  default (name: string, value: string, why: string, shownAs?: string): void {
    if (this.values[name] !== undefined && this.values[name] !== '') return
    this.changes.push({ name, after: value, why, ...(shownAs ? { shownAs } : {}) })
  }

  /** Adds items to a comma- or colon-separated list, keeping what is there. */
  include (name: string, items: string[], separator: ',' | ':', why: string, initial: string[] = []): void {
    const before = this.values[name]
    const list = before === undefined || before === '' ? [...initial] : before.split(separator).map(item => item.trim()).filter(Boolean)
    const missing = items.filter(item => !list.includes(item))
    if (missing.length === 0 && before !== undefined) return
    this.changes.push({ name, ...(before !== undefined ? { before } : {}), after: [...list, ...missing].join(separator), why })
  }
}

function planEnv (values: EnvValues, options: InitOptions, problems: string[]): EnvPlanner {
  const env = new EnvPlanner(values)
  const truthy = (current: string) => dockerBool(current, false)
  const falsy = (current: string) => !dockerBool(current, true)
  env.ensure('ENABLE_AUTH', '1', 'every user needs a token', truthy)
  env.ensure('AUTH_TYPE', 'jwt', 'Prosody verifies the tokens')
  env.default('JWT_APP_ID', 'jitsi-token-service', 'the issuer Prosody accepts; shared with the service')
  env.default('JWT_APP_SECRET', secret(), 'the secret both sides sign and verify with', '<new random secret, not shown>')
  if (/["\\]/.test(values.JWT_APP_SECRET ?? '')) problems.push('JWT_APP_SECRET contains " or \\, which breaks Prosody\'s configuration (docker pastes it into a Lua string); replace it, e.g. with openssl rand -hex 32')
  if (values.PUBLIC_URL === undefined || values.PUBLIC_URL === '') {
    if (options.publicUrl === undefined) problems.push('.env sets no PUBLIC_URL: give --public-url https://meet.example.org (the address people open)')
    else env.default('PUBLIC_URL', options.publicUrl, 'the address people open; meeting links start with it')
  } else if (values.PUBLIC_URL.includes('$')) {
    problems.push('PUBLIC_URL refers to another variable; write the address out (https://meet.example.org)')
  }
  const modules = options.login ? ['token_affiliation', 'muc_wait_for_host'] : ['token_affiliation']
  env.include('XMPP_MUC_MODULES', modules, ',', 'token_affiliation makes the moderator claim count' + (options.login ? '; muc_wait_for_host keeps guests waiting for a host' : ''))
  if (dockerList(env.current('XMPP_MUC_MODULES')).includes('muc_wait_for_host')) {
    env.ensure('WAIT_FOR_HOST_DISABLE_AUTO_OWNERS', '1', 'otherwise muc_wait_for_host makes every token user owner', truthy)
  }
  env.ensure('JICOFO_ENABLE_AUTH', '0', 'otherwise jicofo makes every token user owner', falsy)
  env.ensure('ENABLE_AUTO_OWNER', 'false', 'otherwise jicofo makes the first participant owner', falsy)
  if (values.METRICS_TOKEN === undefined && !dockerBool(values.METRICS_PUBLIC, false)) {
    env.default('METRICS_TOKEN_FILE', `${CONTAINER_DIR}/metrics-token`, 'production needs a metrics token (the file is written below)')
  }
  env.default('TRUST_PROXY', '172.16.0.0/12', 'Jitsi\'s nginx reaches the service from Docker\'s network')
  const overlay = relative(options.dockerJitsiMeet, options.tokenServiceYml)
  env.include('COMPOSE_FILE', [overlay], ':', 'docker compose up starts the service with Jitsi', ['docker-compose.yml'])
  // token-service.yml builds from ../jitsi-token-service unless told otherwise.
  const source = relative(options.dockerJitsiMeet, dirname(options.tokenServiceYml))
  if (source !== join('..', 'jitsi-token-service')) env.default('TOKEN_SERVICE_SOURCE', source, 'where token-service.yml builds the image from (this repository)')
  if (options.login) {
    const base = `${(env.current('PUBLIC_URL') ?? '').replace(/\/+$/, '')}/token-service`
    env.ensure('OIDC_ISSUER', options.login.issuer, 'the identity provider people log in with')
    env.ensure('OIDC_CLIENT_ID', options.login.clientId, 'this service\'s client at the identity provider')
    env.default('LOGIN_BASE_URL', base, 'where browsers reach the login, through Jitsi\'s nginx')
    env.default('LOGIN_SECRET_FILE', `${CONTAINER_DIR}/login-secret`, 'seals logins and refresh tokens (the file is written below)')
    env.default('TOKEN_AUTH_URL', `${base}/login?state={state}&code_challenge={code_challenge}&code_challenge_method=S256`, 'Jitsi sends people without a token to the login')
  }
  return env
}

const NGINX_LOGIN = `# The login's and the console's pages only: the API stays on Docker's network.
location /token-service/login {
    proxy_pass http://token-service:3000/login;
    proxy_set_header X-Forwarded-For $remote_addr;
}
location /token-service/logout {
    proxy_pass http://token-service:3000/logout;
    proxy_set_header X-Forwarded-For $remote_addr;
}
# The console: meeting links for people who sign in, and the token doctor (docs/console.md).
location /token-service/meetings {
    proxy_pass http://token-service:3000/meetings;
    proxy_set_header X-Forwarded-For $remote_addr;
}
location /token-service/doctor {
    proxy_pass http://token-service:3000/doctor;
}`

function loginClientConfig (loginBase: string): string {
  return `config.tokenAuthInline = true; // log in in a popup, without leaving the meeting; needed for refresh
config.tokenLogoutUrl = ${JSON.stringify(`${loginBase}/logout`)};`
}

export function planInit (options: InitOptions, read: (path: string) => string | undefined): InitPlan {
  const envPath = join(options.dockerJitsiMeet, '.env')
  const envText = read(envPath)
  const problems: string[] = []
  if (envText === undefined) {
    return { envPath, envChanges: [], files: [], serviceDir: '', problems: [`${envPath} does not exist: in ${options.dockerJitsiMeet} run cp env.example .env && ./gen-passwords.sh first`] }
  }
  const values = readEnvValues(envText)
  const env = planEnv(values, options, problems)
  const config = configDir(values, options)
  const serviceDir = join(config, 'token-service')
  const files: PlannedFile[] = []
  const createOnce = (name: string, content: () => string, what: string) => {
    const path = join(serviceDir, name)
    if (read(path) === undefined) files.push({ path, content: content(), mode: 0o600, what })
  }
  const merge = (path: string, block: string, comment: '#' | '//', what: string) => {
    const before = read(path) ?? ''
    const after = upsertBlock(before, block, comment)
    if (after !== before) files.push({ path, content: after, mode: 0o644, what })
  }
  if (env.current('METRICS_TOKEN_FILE') === `${CONTAINER_DIR}/metrics-token`) createOnce('metrics-token', () => `${secret()}\n`, 'a new random metrics token')
  let apiKey: string | undefined
  createOnce('clients.json', () => {
    apiKey = generateApiKey()
    const entry = {
      id: options.clientId,
      apiKeySha256: hashApiKey(apiKey).toString('hex'),
      // Any room, moderators included, with Jitsi's own feature defaults for each role.
      grants: { rooms: ['*'], wildcardRoom: false, moderator: true, features: ['*'] }
    }
    return `${JSON.stringify({ clients: [entry] }, null, 2)}\n`
  }, `the clients file, with client "${options.clientId}" (any room, moderators, Jitsi's default features); its API key is shown once after writing`)
  if (options.login) {
    if (env.current('LOGIN_SECRET_FILE') === `${CONTAINER_DIR}/login-secret`) createOnce('login-secret', () => `${secret()}\n`, 'a new random login secret')
    merge(join(config, 'web', 'nginx', 'custom-meet.conf'), NGINX_LOGIN, '#', 'Jitsi\'s nginx passes /token-service/login and /logout to the service')
    merge(join(config, 'web', 'custom-config.js'), loginClientConfig(env.current('LOGIN_BASE_URL')!), '//', 'Jitsi logs in in a popup and logs out through the service')
  }
  return { envPath, envChanges: env.changes, files, serviceDir, ...(apiKey ? { apiKey } : {}), problems }
}
