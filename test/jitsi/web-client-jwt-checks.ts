/**
 * Test-only referee: the Jitsi web client's `validateJwt` (jitsi/jitsi-meet
 * react/features/base/jwt/functions.ts; docs/jitsi.md §3.5), re-stated independently of src/.
 * Returns the client's error keys; an empty list means the client finds nothing wrong.
 */
const MEET_FEATURES = [
  'branding', 'calendar', 'create-polls', 'file-upload', 'flip', 'inbound-call', 'livestreaming',
  'live-translation', 'lobby', 'moderation', 'outbound-call', 'recording', 'room', 'screen-sharing',
  'send-groupchat', 'list-visitors', 'sip-inbound-call', 'sip-outbound-call', 'transcription'
]

const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'))

/** A number of seconds that survives the round trip through a millisecond Date. */
const validSeconds = (value: unknown) => typeof value === 'number' && new Date(value * 1000).getTime() === value * 1000

export function webClientJwtErrors (token: string, nowMs = Date.now()): string[] {
  const [headerPart, payloadPart] = token.split('.')
  const header = decode(headerPart)
  const payload = decode(payloadPart)
  const errors: string[] = []
  const { aud, context, exp, iss, nbf, sub } = payload

  if (typeof sub === 'string' && sub.startsWith('vpaas-magic-cookie')) {
    const kid: string | undefined = header.kid
    if (!kid) return ['kidNotFound']
    if (kid.substring(0, kid.indexOf('/')) !== sub) errors.push('kidMismatch')
    if (aud !== 'jitsi') errors.push('audInvalid')
    if (iss !== 'chat') errors.push('issInvalid')
    if (!context?.features) errors.push('featuresNotFound')
  }
  if (nbf) {
    if (!validSeconds(nbf)) errors.push('nbfInvalid')
    else if (nowMs < nbf * 1000) errors.push('nbfFuture')
  }
  if (!validSeconds(exp)) errors.push('expInvalid')
  else if (nowMs > exp * 1000) errors.push('tokenExpired')
  if (!context) {
    errors.push('contextNotFound')
  } else if (context.features) {
    for (const [feature, value] of Object.entries(context.features)) {
      if (!MEET_FEATURES.includes(feature)) errors.push(`featureInvalid:${feature}`)
      else if (![true, false, 'true', 'false'].includes(value as string)) errors.push(`featureValueInvalid:${feature}`)
    }
  }
  return errors
}
