/**
 * A login's token, minted the way POST /tokens mints one for an IdP user: the request's own schema
 * (room and tenant rules), withIdentity, the grant check, granted features, then the token issuer.
 * The room comes from the Jitsi state; the meeting link is built from PUBLIC_URL by the issuer.
 */
import { Ajv } from 'ajv'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { applyCallerGrant } from '../clients/caller-grant.js'
import type { IssuedToken } from '../plugins/token-issuer.js'
import type { Caller } from '../clients/caller.js'
import type { MeetingOverrides } from '../jitsi/meeting-url.js'
import { WILDCARD_ROOM } from '../jitsi/room-name.js'
import type { FieldProblem } from '../schemas/problem.js'
import { REQUEST_AJV_OPTIONS } from '../schemas/request-validation.js'
import { tokenRequestSchema, type TokenRequest } from '../schemas/token-request.js'
import { validationProblems } from '../schemas/validation-problems.js'
import type { JitsiLoginState } from './jitsi-state.js'

/** Why no token is made: the same problems POST /tokens would answer with. */
export class LoginRefusal {
  constructor (readonly reason: 'invalid_request' | 'outside_grant', readonly problems: FieldProblem[]) {}
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
  // POST /tokens' own schema and Ajv options, compiled once.
  const validate = new Ajv(REQUEST_AJV_OPTIONS).compile(tokenRequestSchema(config.jwt.maxTtl))

  function schemaProblems (body: TokenRequest): FieldProblem[] {
    return validate(body) ? [] : validationProblems(validate.errors!, body)
  }

  /** The request for the state's room, checked by POST /tokens' schema. */
  function roomRequest (state: LoginRoom): TokenRequest | LoginRefusal {
    // A login is always for the room the person is in: never the wildcard, whatever the grant says.
    if (state.room === WILDCARD_ROOM) return new LoginRefusal('invalid_request', [{ path: 'room', message: 'must name a room, not "*"' }])
    const request: TokenRequest = { room: state.room }
    if (state.tenant !== undefined) request.tenant = state.tenant
    const invalid = schemaProblems(request)
    return invalid.length > 0 ? new LoginRefusal('invalid_request', invalid) : request
  }

  return {
    /** Before sending anyone to the IdP: a room no token can be made for is refused now. Grants need the person. */
    precheck: (state: LoginRoom): LoginRefusal | undefined => {
      const request = roomRequest(state)
      return request instanceof LoginRefusal ? request : undefined
    },
    /** The token, or why the caller's grant refuses it, decided as for POST /tokens. */
    async issue (caller: Caller, state: LoginRoom): Promise<IssuedToken | LoginRefusal> {
      // Every state here passed precheck: /login checks it before the IdP round trip and before a refresh.
      const request: TokenRequest = state.tenant === undefined ? { room: state.room } : { room: state.room, tenant: state.tenant }
      const { granted, outside } = applyCallerGrant(request, caller, config.jwt)
      if (outside) return new LoginRefusal('outside_grant', outside)
      return fastify.tokenIssuer.issue(granted, meetingOverrides(state.hash))
    }
  }
}
