/** What each header field and claim means to Jitsi, for the doctor page's table (docs/jitsi.md §1.3, §1.5). */
export const CLAIM_MEANINGS: Record<string, string> = {
  'header.alg': 'Signature algorithm; Prosody verifies exactly one (signature_algorithm)',
  'header.typ': 'Must be exactly "JWT"',
  'header.kid': 'Key id: Prosody fetches <key server>/<sha256 hex of kid>.pem (RS* only)',
  iss: 'Issuer: must be in Prosody\'s accepted issuers (app_id by default)',
  aud: 'Audience: must be in Prosody\'s accepted audiences ("*" by default)',
  sub: 'The XMPP domain (or tenant) the token is for; compared only with domain verification on',
  room: 'The room the token opens, as the web client names it (lower-case, percent-encoded); "*" opens every room',
  exp: 'Expiry, seconds since 1970 (UTC); Prosody refuses the token from then on',
  nbf: 'Not before, seconds since 1970 (UTC); Prosody refuses the token until then',
  iat: 'Issued at, seconds since 1970; Prosody does not check it',
  jti: 'Token id, for audit logs; Prosody does not check it',
  'context.user': 'Who joins: every key is shown to every participant (presence)',
  'context.user.moderator': 'true or "true": token_affiliation makes the user owner (moderator)',
  'context.user.name': 'Display name; forced only with the name-readonly feature',
  'context.user.email': 'Shown to every participant; Jitsi offers Logout only with it',
  'context.user.id': 'Stable user id: recordings, visitors, wait-for-host',
  'context.user.affiliation': 'owner, moderator or teacher: owner; anything else: member',
  'context.user.lobby_bypass': 'The contrib token_lobby_bypass lets this user skip the lobby',
  'context.features': 'With it, only the features set to true are allowed, for moderators too',
  'context.room': 'Room options for contrib modules (lobby, password, regex)',
  'context.group': 'Group id, shown in presence and read by jicofo',
  'context.tenant': 'Compared with the URL\'s tenant (prefix)',
  moderator: 'Top-level moderator: read only by the community token_moderation plugin'
}

export function meaningOf (path: string): string {
  return CLAIM_MEANINGS[path] ?? (path.startsWith('context.user.') ? 'A custom user field: shown to every participant' : '')
}
