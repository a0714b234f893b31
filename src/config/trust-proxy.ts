/**
 * TRUST_PROXY: which peers may say who the client is (X-Forwarded-For), as Fastify's `trustProxy`.
 * Unset trusts nobody: the socket's address is the client's, and no header can change it.
 */
import { isIP } from 'node:net'
import { ConfigError } from './config-error.js'

// proxy-addr's names for common ranges (Fastify hands the list to it): 127/8 + ::1, 169.254/16 + fe80::/10, private ranges.
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal']

function isAddressOrRange (entry: string): boolean {
  if (RANGE_NAMES.includes(entry)) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || rest.length > 0) return false
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128))
}

/** A hop count (trust that many proxies in front of us), or the proxies' addresses and CIDR ranges. */
export function parseTrustProxy (value: string | undefined): number | string[] | undefined {
  if (value === undefined) return undefined
  if (/^\s*\d+\s*$/.test(value)) {
    const hops = Number(value)
    if (hops < 1) throw new ConfigError('TRUST_PROXY', 'is 0; leave it unset to trust no proxy')
    return hops
  }
  const entries = value.split(',').map(entry => entry.trim()).filter(Boolean)
  // `true` would trust every peer, so any client could name any address: not offered.
  const wrong = entries.find(entry => !isAddressOrRange(entry))
  if (wrong !== undefined || entries.length === 0) {
    throw new ConfigError('TRUST_PROXY', `${wrong === undefined ? 'is empty' : `contains "${wrong}", which is not an IP address or CIDR range`}; ` +
      'give the reverse proxy\'s addresses or ranges (e.g. 172.16.0.0/12, loopback) or a hop count (e.g. 1)')
  }
  return entries
}

/**
 * Fastify's trustProxy for a parsed TRUST_PROXY. Fastify ignores a bare number (it cannot check the
 * peer), so a hop count becomes "trust the nearest N peers": right only when nothing but the proxy can reach us.
 */
export function fastifyTrustProxy (trust: number | string[] | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return trust ?? false
}
