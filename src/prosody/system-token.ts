/**
 * System tokens for Prosody's meeting modules (mod_muc_end_meeting, mod_muc_kick_participant): RS256
 * with the system key's kid, so Prosody fetches `<prosody_password_public_key_repo_url>/<sha256(kid)>.pem`
 * from this service. They check typ, alg, signature, exp/nbf, iss and aud like a login token, and want
 * `room` and `sub` present without comparing them (docs/jitsi.md §13). One minute is plenty for one call.
 */
import { sign } from 'node:crypto'
import type { SystemKey } from '../config/meeting-control-config.js'

export const SYSTEM_TOKEN_TTL_SECONDS = 60

export interface SystemTokenSettings {
  issuer: string
  audience: string
  xmppDomain: string
  nbfSkew: number
}

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function systemToken (key: SystemKey, settings: SystemTokenSettings, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000)
  const claims = {
    iss: settings.issuer,
    aud: settings.audience,
    sub: settings.xmppDomain,
    room: '*',
    iat,
    nbf: iat - settings.nbfSkew,
    exp: iat + SYSTEM_TOKEN_TTL_SECONDS
  }
  const input = `${segment({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${segment(claims)}`
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`
}
