/**
 * `issue`: mint a token and meeting link from this deployment's configuration (loadConfig(env)),
 * without the HTTP API, for scripts and ops. The same claims as POST /tokens (jitsi/claims.ts), signed
 * with the configured secret (HS*) or active key (RS*); no grant applies: whoever reads the secret can
 * mint anyway.
 */
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { loadConfig, type Config } from '../../config.js'
import { buildClaims, type JitsiClaims, type TokenInput } from '../../jitsi/claims.js'
import { KNOWN_FEATURES, type FeatureFlags } from '../../jitsi/features.js'
import { jaasRequestProblems, jaasTokenInput } from '../../jitsi/jaas.js'
import { meetingUrl } from '../../jitsi/meeting-url.js'
import { roomNameProblem, TENANT_PATTERN, WILDCARD_ROOM } from '../../jitsi/room-name.js'
import { issuerSettings } from '../../plugins/token-issuer.js'
import { UsageError, withUsageErrors, type Command, type CommandIO } from '../command.js'
import { signLocally, unsetSigningVariables } from '../local-signer.js'
import { tokenEnv } from '../token-env.js'

const USAGE = `Usage: jitsi-token-service issue --room ROOM --name NAME [--moderator] [--tenant TENANT] [--ttl SECONDS]
         [--id USER_ID] [--email EMAIL] [--feature recording,screen-sharing]... [--json]
Signs with this service's environment: JWT_APP_ID, JWT_APP_SECRET or the RS key, XMPP_DOMAIN, PUBLIC_URL
(only the JWT_*, JAAS_APP_ID, PUBLIC_URL and XMPP_DOMAIN variables are read).
`
const TENANT = new RegExp(TENANT_PATTERN)

function tokenInput (values: Record<string, string | string[] | boolean | undefined>, config: Config): TokenInput {
  const room = values.room as string | undefined
  const name = values.name as string | undefined
  if (room === undefined || name === undefined) throw new UsageError('--room and --name are required')
  const roomProblem = room === WILDCARD_ROOM ? undefined : roomNameProblem(room)
  if (roomProblem) throw new UsageError(`--room ${roomProblem}`)
  const tenant = values.tenant as string | undefined
  if (tenant !== undefined && !TENANT.test(tenant)) throw new UsageError('--tenant must be 1–63 letters, digits, "_" or "-"')
  const ttl = values.ttl === undefined ? config.jwt.ttl : Number(values.ttl)
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > config.jwt.maxTtl) throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${config.jwt.maxTtl} (JWT_MAX_TTL)`)
  const features: FeatureFlags = {}
  for (const feature of (values.feature as string[] | undefined ?? []).flatMap(value => value.split(',')).map(v => v.trim()).filter(Boolean)) {
    if (!(KNOWN_FEATURES as readonly string[]).includes(feature)) throw new UsageError(`--feature ${feature} is not a Jitsi feature (known: ${KNOWN_FEATURES.join(', ')})`)
    features[feature as keyof FeatureFlags] = true
  }
  const user = { name, id: values.id as string | undefined, email: values.email as string | undefined, ...(values.moderator ? { moderator: true } : {}) }
  return { room, tenant, ttl, context: { user, ...(Object.keys(features).length > 0 ? { features } : {}) } }
}

async function sign (claims: JitsiClaims, config: Config): Promise<string> {
  try {
    return await signLocally(claims, config)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

async function runIssue (env: Record<string, string | undefined>, args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      room: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      email: { type: 'string' },
      moderator: { type: 'boolean', default: false },
      tenant: { type: 'string' },
      ttl: { type: 'string' },
      feature: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false }
    }
  })
  const config = loadConfig(tokenEnv(env))
  const missing = unsetSigningVariables(config)
  if (missing.length > 0) throw new UsageError(`${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set; a token signed or issued with a random development value is accepted by no Prosody. Set ${missing.length === 1 ? 'it' : 'them'} as for Prosody (or as NAME_FILE).`)
  let input = tokenInput(values, config)
  const { jaasAppId } = config.jwt
  if (jaasAppId) {
    const problem = jaasRequestProblems(input, jaasAppId)[0]
    if (problem) throw new UsageError(`--${problem.path} ${problem.message}`)
    input = jaasTokenInput(input, jaasAppId)
  }
  const claims = buildClaims(input, issuerSettings(config), Date.now(), randomUUID())
  const token = await sign(claims, config)
  const issued = { token, url: meetingUrl(config.publicUrl, input.room, token, input.tenant), room: claims.room, expiresAt: new Date(claims.exp * 1000).toISOString() }
  if (values.json) {
    io.out.write(`${JSON.stringify(issued, null, 2)}\n`)
  } else {
    const rows = Object.entries(issued).filter(([, value]) => value !== undefined).map(([label, value]) => `${label.padEnd(10)} ${value}`)
    io.out.write(`${rows.join('\n')}\n`)
  }
  return 0
}

export function issueCommand (env: Record<string, string | undefined> = process.env): Command {
  return {
    name: 'issue',
    summary: 'mint a token and meeting link from the local configuration',
    usage: USAGE,
    run: (args, io) => withUsageErrors('issue', USAGE, io, () => runIssue(env, args, io))
  }
}

export default issueCommand()
