/**
 * What `doctor` and `issue` read of the environment: how tokens are made and for which Jitsi, nothing
 * else. Clients, OIDC, limits and NODE_ENV's production rules they never use, so a container's full
 * .env (NODE_ENV=production, no CLIENTS_FILE, ...) must not stop them.
 */
const TOKEN_VARIABLE = /^(JWT_\w+|JAAS_APP_ID|PUBLIC_URL|XMPP_DOMAIN)$/

export function tokenEnv (env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => TOKEN_VARIABLE.test(name)))
}
