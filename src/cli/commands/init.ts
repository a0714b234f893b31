/**
 * `init`: wires a docker-jitsi-meet checkout to this service (deploy/init-plan.ts): prints the plan of every
 * change, and writes it only with --write. A second run finds nothing to do.
 */
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { applyPlan, InitWriteError, type Writer } from '../../deploy/apply-plan.js'
import { planInit, type InitPlan } from '../../deploy/init-plan.js'
import { UsageError, withUsageErrors, type Command, type CommandIO } from '../command.js'

const USAGE = `Usage: jitsi-token-service init [--docker-jitsi-meet DIR] [--public-url URL] [--client-id ID]
         [--login --oidc-issuer URL --oidc-client-id ID] [--write]
Wires a docker-jitsi-meet checkout (default: ../docker-jitsi-meet beside this repository) to this service:
its .env (Jitsi's token settings, the shared app id and secret, the compose files), the service's files in
\${CONFIG}/token-service (metrics token, a clients file with a first client) and, with --login, the login's
lines and Jitsi's nginx and config.js additions. Prints the plan; writes only with --write (.env is backed
up first). Existing values that keep the tokens working are kept; secrets are never replaced or printed.
Exit status: 0 done or nothing to do, 1 the plan has problems or a file could not be written, 2 usage error.
`

/** This repository's root, from dist/cli/commands/ or src/cli/commands/. */
const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

function readIfPresent (path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new InitWriteError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code})`)
  }
}

function formatPlan (plan: InitPlan): string {
  const lines = [`${plan.envPath}:`]
  if (plan.envChanges.length === 0) lines.push('  nothing to change')
  for (const change of plan.envChanges) {
    const value = change.shownAs ?? change.after
    lines.push(change.before === undefined
      ? `  + ${change.name}=${value}    (${change.why})`
      : `  ~ ${change.name}=${change.before} → ${value}    (${change.why})`)
  }
  lines.push(`${plan.serviceDir} and Jitsi's web configuration:`)
  if (plan.files.length === 0) lines.push('  nothing to change')
  for (const file of plan.files) lines.push(`  + ${file.path}: ${file.what}`)
  return `${lines.join('\n')}\n`
}

async function runInit (env: Record<string, string | undefined>, args: string[], io: CommandIO, writer?: Writer): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'docker-jitsi-meet': { type: 'string' },
      'public-url': { type: 'string' },
      'client-id': { type: 'string', default: 'my-app' },
      login: { type: 'boolean', default: false },
      'oidc-issuer': { type: 'string' },
      'oidc-client-id': { type: 'string' },
      write: { type: 'boolean', default: false }
    }
  })
  const publicUrl = values['public-url']
  if (publicUrl !== undefined && !/^https:\/\/[^/?#\s]+\/?$/.test(publicUrl)) throw new UsageError('--public-url must be the https:// address of the Jitsi site, without a path')
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(values['client-id'])) throw new UsageError('--client-id must be 1–64 letters, digits, ".", "_" or "-"')
  const issuer = values['oidc-issuer']
  const oidcClientId = values['oidc-client-id']
  if (values.login !== (issuer !== undefined || oidcClientId !== undefined) || (values.login && (issuer === undefined || oidcClientId === undefined))) {
    throw new UsageError('--login goes with both --oidc-issuer and --oidc-client-id')
  }
  if (issuer !== undefined && !/^https:\/\/\S+$/.test(issuer)) throw new UsageError('--oidc-issuer must be an https:// URL')
  const plan = planInit({
    dockerJitsiMeet: resolve(values['docker-jitsi-meet'] ?? join(REPOSITORY, '..', 'docker-jitsi-meet')),
    tokenServiceYml: join(REPOSITORY, 'token-service.yml'),
    home: env.HOME ?? homedir(),
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/$/, '') } : {}),
    clientId: values['client-id'],
    ...(values.login ? { login: { issuer: issuer!, clientId: oidcClientId! } } : {})
  }, readIfPresent)
  if (plan.problems.length > 0) {
    io.err.write(plan.problems.map(problem => `✗ ${problem}`).join('\n') + '\nNothing was written.\n')
    return 1
  }
  io.out.write(formatPlan(plan))
  if (plan.envChanges.length === 0 && plan.files.length === 0) {
    io.out.write('Everything is in place. Next: docker compose up -d, then jitsi-token-service check.\n')
    return 0
  }
  if (!values.write) {
    io.out.write('Nothing written: run again with --write to apply this plan.\n')
    return 0
  }
  const applied = applyPlan(plan, writer)
  io.out.write(`Written.${applied.backup ? ` The previous .env is ${applied.backup}.` : ''}\n`)
  if (applied.ownershipNote) io.err.write(`⚠ ${applied.ownershipNote}\n`)
  if (plan.apiKey) {
    io.err.write('API key of the first client (shown only now; store it in the client\'s secret store):\n')
    io.out.write(`${plan.apiKey}\n`)
  }
  io.out.write(`Next, in ${dirname(plan.envPath)}: docker compose up -d, then docker compose run --rm token-service-cli check --url http://web --websocket ws://prosody:5280/xmpp-websocket\n`)
  return 0
}

export function initCommand (env: Record<string, string | undefined> = process.env, writer?: Writer): Command {
  return {
    name: 'init',
    summary: 'wire a docker-jitsi-meet checkout to this service (prints a plan; --write applies it)',
    usage: USAGE,
    run: (args, io) => withUsageErrors('init', USAGE, io, () => runInit(env, args, io, writer), error => error instanceof InitWriteError ? 1 : undefined)
  }
}

export default initCommand()
