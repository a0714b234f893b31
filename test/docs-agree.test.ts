/**
 * The docs agree with the files: every environment variable set in a code block of README.md, docs/ or
 * examples/ is one the service reads, one token-service.yml passes, or one docker-jitsi-meet's services
 * take (its compose file, as the stand-in in test/deploy/fixtures has it); every Prosody module a
 * docs block loads is one Jitsi ships; every path under /etc/jitsi-token-service is in the folder
 * token-service.yml mounts, and every port the service is reached on is one it publishes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { EnvSchema, SECRET_VARIABLES } from '../src/config/env-schema.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string) => readFileSync(join(root, path), 'utf8')

function files (dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap(name => statSync(join(root, dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)])
}

/** Code blocks of the Markdown pages, and example files whole. */
function blocks (): Array<{ where: string, text: string }> {
  const pages = ['README.md', ...files('docs').filter(file => file.endsWith('.md'))]
  const fromPages = pages.flatMap(page => [...read(page).matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map(match => ({ where: page, text: match[1]! })))
  const examples = files('examples').filter(file => !file.endsWith('.md') && !file.endsWith('.html') && !file.endsWith('.js')).map(file => ({ where: file, text: read(file) }))
  return [...fromPages, ...examples]
}

const ours = new Set([...Object.keys(EnvSchema.properties), ...SECRET_VARIABLES.map(name => `${name}_FILE`)])
const overlay = read('token-service.yml')
const jitsi = read('test/deploy/fixtures/docker-jitsi-meet/docker-compose.yml')
const passed = new Set([...`${overlay}\n${jitsi}`.matchAll(/^\s*- ([A-Z][A-Z0-9_]+)\b/gm)].map(match => match[1]!))
/** Compose's and the shell's own, and docker-jitsi-meet's that its containers read from .env without listing them. */
const OTHERS = new Set(['CONFIG', 'COMPOSE_FILE', 'TOKEN_SERVICE_SOURCE', 'TOKEN_SERVICE_PORT', 'HTTP_PORT', 'HTTPS_PORT', 'TZ', 'NODE_ENV', 'TOKEN', 'API_KEY', 'KEY', 'SOAK_SECONDS'])
/** Prosody modules Jitsi (jitsi-meet's resources/prosody-plugins) and Prosody ship, as the docs reference them. */
const MODULES = new Set(['token_affiliation', 'muc_wait_for_host', 'persistent_lobby', 'token_lobby_bypass', 'token_lobby_ondemand', 'token_security_ondemand',
  'token_lobby_autostart', 'muc_end_meeting', 'muc_kick_participant', 'system_chat_message', 'muc_size', 'token_moderation', 'presence_identity'])

function unknownVariables (found: Array<{ where: string, text: string }>): string[] {
  const unknown: string[] = []
  for (const { where, text } of found) {
    for (const match of text.matchAll(/^\s*(?:- |export )?([A-Z][A-Z0-9_]{2,})=/gm)) {
      const name = match[1]!
      if (!ours.has(name) && !passed.has(name) && !OTHERS.has(name)) unknown.push(`${where}: ${name}`)
    }
  }
  return unknown
}

t.test('every variable a docs block sets exists', async t => {
  t.same(unknownVariables(blocks()), [], 'variables a person would copy that nothing reads')
  t.same(unknownVariables([{ where: 'x.md', text: 'ENABLE_AUTH=1\n  - JWT_SECRET=abc\nexport CLIENT_FILE=/c\n' }]), ['x.md: JWT_SECRET', 'x.md: CLIENT_FILE'], 'it bites')
  t.ok(ours.has('METRICS_TOKEN_FILE') && passed.has('XMPP_MUC_MODULES'), 'the sources are read')
})

t.test('every module a docs block loads is one Jitsi ships; every /etc path is in the mounted folder; ports are published ones', async t => {
  const problems: string[] = []
  const mount = /:(\/etc\/jitsi-token-service):/.exec(overlay)?.[1]
  t.equal(mount, '/etc/jitsi-token-service')
  for (const { where, text } of blocks()) {
    for (const match of text.matchAll(/^\s*(?:- )?(?:XMPP_MUC_MODULES|XMPP_MODULES|GLOBAL_MODULES)=(.*)$/gm)) {
      for (const module of match[1]!.split(',').map(name => name.trim()).filter(Boolean)) if (!MODULES.has(module)) problems.push(`${where}: module ${module}`)
    }
    for (const match of text.matchAll(/\/etc\/jitsi-[a-z-]+/g)) if (match[0] !== mount) problems.push(`${where}: ${match[0]}`)
    for (const match of text.matchAll(/token-service:(\d+)/g)) if (match[1] !== '3000') problems.push(`${where}: token-service:${match[1]}`)
  }
  t.same(problems, [])
})
