/**
 * A login's token, minted the way POST /tokens mints one for an IdP user: the request's own schema
 * (room and tenant rules), withIdentity, the grant check, granted features, then the token issuer.
 * The room comes from the Jitsi state; the meeting link is built from PUBLIC_URL by the issuer.
 */
import { FormatRegistry } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { grantedFeatures, grantProblems } from '../clients/grants.js'
import type { IssuedToken } from '../plugins/token-issuer.js'
import type { Caller } from '../plugins/client-auth.js'
import { withIdentity } from '../oidc/identity-merge.js'
import type { MeetingOverrides } from '../jitsi/meeting-url.js'
import { WILDCARD_ROOM } from '../jitsi/room-name.js'
import { FORMATS, formatProblem } from '../schemas/formats.js'
import type { FieldProblem } from '../schemas/problem.js'
import { tokenRequestSchema, type TokenRequest } from '../schemas/token-request.js'
import type { JitsiLoginState } from './jitsi-state.js'

for (const [name, check] of Object.entries(FORMATS)) if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check)

export class LoginRefusal extends Error {
  override name = 'LoginRefusal'
  constructor (readonly reason: 'invalid_request' | 'outside_grant', readonly problems: FieldProblem[]) {
    super(reason)
  }
}

/** The state's hash keys, split by prefix the way the meeting link writes them. */
export function meetingOverrides (hash: Record<string, unknown>): MeetingOverrides {
  const overrides: Required<Pick<MeetingOverrides, 'config' | 'interfaceConfig' | 'iceServers'>> = { config: {}, interfaceConfig: {}, iceServers: {} }
  for (const [key, value] of Object.entries(hash)) {
    const dot = key.indexOf('.')
    overrides[key.slice(0, dot) as keyof typeof overrides][key.slice(dot + 1)] = value
  }
  return overrides
}

type LoginRoom = Pick<JitsiLoginState, 'room' | 'tenant' | 'hash'>

export function loginTokenIssuer (fastify: FastifyInstance, config: Config) {
  const schema = tokenRequestSchema(config.jwt.maxTtl)
  const { ttl: defaultTtl } = config.jwt

  function schemaProblems (body: TokenRequest): FieldProblem[] {
    return [...Value.Errors(schema, body)].map(error => ({
      path: error.path.slice(1).replaceAll('/', '.'),
      message: formatProblem(String(error.schema.format), error.value) ?? error.message
    }))
  }

  /** The request for the state's room, checked by POST /tokens' schema; throws LoginRefusal. */
  function roomRequest (state: LoginRoom): TokenRequest {
    // A login is always for the room the person is in: never the wildcard, whatever the grant says.
    if (state.room === WILDCARD_ROOM) throw new LoginRefusal('invalid_request', [{ path: 'room', message: 'must name a room, not "*"' }])
    const request: TokenRequest = { room: state.room }
    if (state.tenant !== undefined) request.tenant = state.tenant
    const invalid = schemaProblems(request)
    if (invalid.length > 0) throw new LoginRefusal('invalid_request', invalid)
    return request
  }

  return {
    /** Before sending anyone to the IdP: a room no token can be made for is refused now. Grants need the person. */
    precheck: (state: LoginRoom): void => { roomRequest(state) },
    /** Throws LoginRefusal; the caller's grant decides as for POST /tokens. */
    issue: (caller: Caller, state: LoginRoom) => issueLoginToken(caller, state)
  }

  async function issueLoginToken (caller: Caller, state: LoginRoom): Promise<IssuedToken> {
    const body = withIdentity(roomRequest(state), caller.identity)
    const grants = caller.grants
    const ttl = Math.min(defaultTtl, grants.maxTtl ?? defaultTtl)
    const outside = grantProblems({ ...body, ttl }, grants)
    if (outside.length > 0) throw new LoginRefusal('outside_grant', outside)
    const context = { ...body.context, features: grantedFeatures(body.context?.features, grants, config.jwt.profile) }
    return fastify.tokenIssuer.issue({ ...body, ttl, context }, meetingOverrides(state.hash))
  }
}
