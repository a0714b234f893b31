/**
 * POST /tokens/verify: the token doctor. Says whether Prosody would accept a token (ours or anyone's)
 * for a room, and why not, check by check. A token that is not even a JWT is a diagnosis (200,
 * valid: false), not a 400; only a body of the wrong shape is refused.
 * Its cost is bounded (docs/grants.md): API clients only, a tenth of the per-client budget, keys of at
 * most 4096 bits verified in the thread pool, and an answer of bounded size.
 * The checks themselves load on the first diagnosis: most instances never run one.
 */
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../config.js'
import { doctorSettings } from '../config/doctor-settings.js'
import { withOverrides } from '../jitsi/doctor/deployment.js'
import { serviceDeployment, serviceKeys } from '../jitsi/doctor/service-defaults.js'
import { roomNameProblem } from '../jitsi/room-name.js'
import { invalidFields, ProblemError } from '../problems.js'
import { ProblemSchema } from '../schemas/problem.js'
import { TokenVerifyRequestSchema, TokenVerifyResponseSchema } from '../schemas/token-verify.js'

/** A tool for the operators of back ends, who hold Prosody's secret or keys; not for every IdP user. */
async function apiClientsOnly (request: FastifyRequest) {
  if (request.caller!.kind === 'oidc') {
    throw new ProblemError(403, 'api_clients_only', 'The token doctor is for API clients (CLIENTS_FILE); an identity-provider token cannot call it.')
  }
}

/** Its own budget per client, a tenth of RATE_LIMIT_MAX: a diagnosis costs more than an issuance. */
export const doctorRateLimit = (max: number) => Math.max(1, Math.floor(max / 10))

const verify: FastifyPluginAsyncTypebox<{ config: Config }> = async (fastify, opts) => {
  const { config } = opts
  const settings = doctorSettings(config)
  const deployment = serviceDeployment(settings)
  const published = () => fastify.keys.current.published
  let doctor: Promise<typeof import('../jitsi/doctor/diagnose.js')> | undefined

  fastify.post('/tokens/verify', {
    onRequest: [fastify.authenticate, apiClientsOnly],
    config: {
      // Per client; authenticate (onRequest) has run before preParsing.
      rateLimit: {
        hook: 'preParsing',
        max: doctorRateLimit(config.rateLimit.max),
        keyGenerator: (request) => `doctor:client:${request.caller!.id}`
      }
    },
    schema: {
      summary: 'Explain whether Jitsi accepts a token',
      description: 'Runs the checks Prosody runs, in its order, then the web client\'s hints, for any token and the room it should open. Nothing is issued or stored.',
      tags: ['tokens'],
      security: [{ apiKey: [] }],
      body: TokenVerifyRequestSchema,
      response: {
        200: TokenVerifyResponseSchema,
        400: ProblemSchema,
        401: ProblemSchema,
        403: ProblemSchema,
        413: ProblemSchema,
        415: ProblemSchema,
        429: ProblemSchema
      }
    }
  }, async (request) => {
    const { token, room, tenant, prosody = {} } = request.body
    const problem = room === undefined ? undefined : roomNameProblem(room)
    if (problem) throw invalidFields([{ path: 'room', message: problem }])
    const { secret, publicKeyPem, ...overrides } = prosody
    const keys = serviceKeys(settings, published, {
      secret: secret === undefined ? undefined : { key: secret, from: 'the supplied prosody.secret' },
      publicKey: publicKeyPem === undefined ? undefined : { key: publicKeyPem, from: 'the supplied prosody.publicKeyPem' }
    })
    const { diagnoseAsync } = await (doctor ??= import('../jitsi/doctor/diagnose.js'))
    return diagnoseAsync({ token, room, tenant }, withOverrides(deployment, overrides), keys)
  })
}

export default verify
