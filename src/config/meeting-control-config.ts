/**
 * Meeting control (routes/rooms.ts): where Prosody's HTTP modules are, and the system key that signs
 * the tokens they want. The system key is its own RSA key with its own kid, never the login key: the
 * modules accept any token their key repository can verify, so sharing a key would make every login
 * token a token that may end meetings (docs/meeting-control.md).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { ConfigError } from './config-error.js'
import { KeyProblem, parseKey, rsaKeyProblem } from '../keys/rsa-key.js'
import type { Env } from './env-schema.js'

export interface SystemKey {
  kid: string
  privateKey: KeyObject
  publicPem: string
  /** The file Prosody fetches: <sha256 hex of kid>.pem. */
  pathId: string
}

export interface MeetingControlConfig {
  /** No trailing slash. */
  prosodyUrl: string
  timeoutMs: number
  mucDomain: string
  systemKey: SystemKey
}

type MeetingControlEnv = Pick<Env, 'PROSODY_HTTP_URL' | 'PROSODY_HTTP_TIMEOUT' | 'XMPP_MUC_DOMAIN' | 'SYSTEM_PRIVATE_KEY' | 'SYSTEM_KID' | 'XMPP_DOMAIN' | 'JWT_KID' | 'JWT_PROFILE'>

/** @param loginPublicPems the login keys' public PEMs (SPKI), to refuse a system key that is one of them. */
export function loadMeetingControlConfig (env: MeetingControlEnv, loginPublicPems: readonly string[]): MeetingControlConfig | undefined {
  if (env.PROSODY_HTTP_URL === undefined) {
    const stray = (['SYSTEM_PRIVATE_KEY', 'SYSTEM_KID'] as const).find(name => env[name] !== undefined)
    if (stray) throw new ConfigError(stray, 'is set but PROSODY_HTTP_URL is not; set PROSODY_HTTP_URL to turn on meeting control')
    return undefined
  }
  if (env.JWT_PROFILE === 'jaas') throw new ConfigError('PROSODY_HTTP_URL', 'cannot be used with JWT_PROFILE=jaas: 8x8 runs JaaS\'s Prosody (use JaaS\'s own REST API)')
  if (env.SYSTEM_PRIVATE_KEY === undefined) throw new ConfigError('SYSTEM_PRIVATE_KEY', 'is required with PROSODY_HTTP_URL: Prosody\'s meeting modules want tokens signed by a key of their own (jitsi-token-service keys generate --system)')
  if (env.SYSTEM_KID === undefined) throw new ConfigError('SYSTEM_KID', 'is required with SYSTEM_PRIVATE_KEY: Prosody finds the public key by it')
  if (env.SYSTEM_KID === env.JWT_KID) throw new ConfigError('SYSTEM_KID', 'must differ from JWT_KID: the system key is not the login key')
  let privateKey: KeyObject
  try {
    const parsed = parseKey(env.SYSTEM_PRIVATE_KEY)
    if (!parsed.privateKey) throw new KeyProblem('holds only a public key; give the private key')
    privateKey = parsed.privateKey
  } catch (error) {
    throw new ConfigError('SYSTEM_PRIVATE_KEY', (error as Error).message)
  }
  const problem = rsaKeyProblem(privateKey, 'RS256')
  if (problem) throw new ConfigError('SYSTEM_PRIVATE_KEY', problem)
  const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string
  if (loginPublicPems.includes(publicPem)) {
    throw new ConfigError('SYSTEM_PRIVATE_KEY', 'is one of the login signing keys; use a key of its own, or every login token could end meetings')
  }
  return {
    prosodyUrl: env.PROSODY_HTTP_URL.replace(/\/+$/, ''),
    timeoutMs: env.PROSODY_HTTP_TIMEOUT,
    mucDomain: (env.XMPP_MUC_DOMAIN ?? `muc.${env.XMPP_DOMAIN}`).toLowerCase(),
    systemKey: {
      kid: env.SYSTEM_KID,
      privateKey,
      publicPem,
      pathId: createHash('sha256').update(env.SYSTEM_KID).digest('hex')
    }
  }
}
