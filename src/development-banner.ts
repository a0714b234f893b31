/** What a newcomer needs for a first request, printed once when running on development defaults. */
import type { Config } from './config.js'

export function developmentBanner (config: Config, address: string): string | undefined {
  // A real signing key without CLIENTS_FILE: no development client (src/config.ts), so say why every key is refused.
  const noClients = !config.clientsFile && !config.developmentApiKey && !config.oidc
  if (config.production || (config.developmentDefaults.length === 0 && !noClients)) return undefined
  const lines = [
    '',
    config.developmentDefaults.length > 0
      ? `jitsi-token-service is running on development defaults (${config.developmentDefaults.join(', ')} not set).`
      : undefined,
    noClients
      ? 'No CLIENTS_FILE: no API key is accepted. A development client is only made while the signing key is a development one; ' +
        'create clients with `jitsi-token-service client add` and set CLIENTS_FILE.'
      : undefined,
    config.developmentDefaults.includes('JWT_APP_SECRET')
      ? 'Tokens are signed with a random secret that changes at every start: set JWT_APP_SECRET (and JWT_APP_ID, PUBLIC_URL) to match your Jitsi.'
      : undefined
  ]
  if (config.developmentApiKey) {
    lines.push(
      'A development client with every grant was created for this run. Its API key (shown only now):',
      `  ${config.developmentApiKey}`,
      'Try it:',
      `  curl -s -X POST ${address}/tokens \\`,
      `    -H 'Authorization: Bearer ${config.developmentApiKey}' -H 'Content-Type: application/json' \\`,
      '    -d \'{"room": "Daily Standup", "context": {"user": {"name": "Alice", "moderator": true}}}\''
    )
  }
  lines.push('Production (NODE_ENV=production) refuses to start without real settings; see README.md.', '')
  return lines.filter(line => line !== undefined).join('\n')
}
