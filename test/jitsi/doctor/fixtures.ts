/**
 * Tokens signed by hand with node:crypto (any header, any claims, good or bad), a fixed clock, and
 * the independent Prosody referee (test/support/prosody-verifier.ts) to compare the doctor with.
 */
import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { diagnose, diagnoseAsync, type Diagnosis, type DoctorInput } from '../../../src/jitsi/doctor/diagnose.js'
import type { DoctorKeys, ProsodyDeployment } from '../../../src/jitsi/doctor/deployment.js'
import { verifyRoom, verifyToken, type ProsodySettings } from '../../support/prosody-verifier.js'
import { getBackendSafeRoomName } from '../../support/web-client-room.js'

export const NOW = 1_767_225_600 // 2026-01-01T00:00:00Z
export const APP_ID = 'my_app'
export const SECRET = randomBytes(24).toString('base64url')
export const KID = 'my_app/2026-01'

export const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
export const PUBLIC_PEM = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()
export const PRIVATE_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

export function hs (header: unknown, payload: unknown, secret = SECRET, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`
}

export function rs (header: unknown, payload: unknown, key: KeyObject = rsa.privateKey, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${sign(hash, Buffer.from(input), key).toString('base64url')}`
}

export const HS_HEADER = { alg: 'HS256', typ: 'JWT' }
export const RS_HEADER = { alg: 'RS256', typ: 'JWT', kid: KID }

/** What POST /tokens emits for "Daily Standup" without a tenant, at NOW. */
export function claims (extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: APP_ID,
    aud: 'jitsi',
    sub: 'meet.jitsi',
    room: 'daily%20standup',
    iat: NOW,
    nbf: NOW - 30,
    exp: NOW + 3600,
    context: { user: { id: 'u-1', name: 'Alice', moderator: true, lobby_bypass: true }, features: { recording: 'true', 'screen-sharing': 'false' } },
    ...extra
  }
}

/** Prosody's defaults with an app_secret: HS256, issuers {app_id}, audiences {*}, domain verification on. */
export const hsHost: ProsodyDeployment = {
  algorithm: 'HS256',
  acceptedIssuers: [APP_ID],
  acceptedAudiences: ['*'],
  domainVerification: true,
  xmppDomain: 'meet.jitsi',
  requireRoomClaim: true,
  publicHost: 'meet.example.org'
}
export const rsHost: ProsodyDeployment = { ...hsHost, algorithm: 'RS256' }
export const docker: ProsodyDeployment = { ...hsHost, domainVerification: false }

export const hsKeys: DoctorKeys = { secret: { key: SECRET, from: 'JWT_APP_SECRET' } }
export const rsKeys: DoctorKeys = {
  publicKeyFor: kid => kid === KID ? { key: PUBLIC_PEM, from: `the public key of kid "${KID}"` } : undefined
}

export const ROOM = { room: 'Daily Standup' }

export function check (diagnosis: Diagnosis, name: string) {
  const found = diagnosis.checks.find(c => c.name === name)
  if (!found) throw new Error(`no check named ${name}: ${diagnosis.checks.map(c => c.name).join(', ')}`)
  return found
}

export function refereeSettings (deployment: ProsodyDeployment): ProsodySettings {
  const rsaHost = deployment.algorithm.startsWith('RS')
  return {
    appId: APP_ID,
    ...(rsaHost ? { publicKeyPem: PUBLIC_PEM } : { appSecret: SECRET }),
    signatureAlgorithm: deployment.algorithm,
    acceptedIssuers: deployment.acceptedIssuers,
    acceptedAudiences: deployment.acceptedAudiences,
    enableDomainVerification: deployment.domainVerification,
    xmppDomain: deployment.xmppDomain,
    requireRoomClaim: deployment.requireRoomClaim
  }
}

/** The referee's verdict: connect with the token, then join the room (when one is given). */
export function referee (input: DoctorInput, deployment: ProsodyDeployment): { ok: boolean, reason?: string } {
  const settings = refereeSettings(deployment)
  const verified = verifyToken(input.token, settings, { now: NOW })
  if (!verified.ok) return verified
  if (input.room === undefined) return { ok: true }
  const tenant = input.tenant?.toLowerCase().replaceAll('.', '_')
  const joined = verifyRoom(verified.claims, { roomNode: getBackendSafeRoomName(encodeURIComponent(input.room)), tenant, prefix: input.tenant }, settings)
  return joined.ok ? { ok: true } : { ok: false, reason: joined.reason }
}

interface Assert {
  equal: (found: unknown, wanted: unknown, message: string) => unknown
}

function agreeing (t: Assert, diagnosis: Diagnosis, input: DoctorInput, deployment: ProsodyDeployment): Diagnosis {
  const verdict = referee(input, deployment)
  t.equal(diagnosis.valid, verdict.ok, `doctor and Prosody referee agree (referee: ${verdict.reason ?? 'accepted'})`)
  t.equal(diagnosis.reason, verdict.reason, 'the doctor names the reason Prosody gives')
  return diagnosis
}

/**
 * Runs the doctor and asserts it reaches the referee's verdict, and names Prosody's own reason.
 * Synchronous, so RS* signatures are not verified: use diagnoseAgreeingAsync for RS-signed tokens.
 */
export function diagnoseAgreeing (t: Assert, input: DoctorInput, deployment = hsHost, keys = deployment.algorithm.startsWith('RS') ? rsKeys : hsKeys): Diagnosis {
  return agreeing(t, diagnose(input, deployment, keys, NOW), input, deployment)
}

/** diagnoseAgreeing with the RS* signature verified (WebCrypto is asynchronous). */
export async function diagnoseAgreeingAsync (t: Assert, input: DoctorInput, deployment = rsHost, keys = rsKeys): Promise<Diagnosis> {
  return agreeing(t, await diagnoseAsync(input, deployment, keys, NOW), input, deployment)
}
