/**
 * Whether the socket's peer is one of the TRUST_PROXY proxies: what a proxy says in its own headers
 * (X-Request-Id) is taken only from such a peer. Node's BlockList matches the addresses and ranges.
 */
import { BlockList, isIPv4 } from 'node:net'

// proxy-addr's range names, which TRUST_PROXY accepts (config/trust-proxy.ts).
const NAMED_RANGES: Record<string, Array<[string, number, 'ipv4' | 'ipv6']>> = {
  loopback: [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']],
  linklocal: [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']],
  uniquelocal: [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['fc00::', 7, 'ipv6']]
}

/** An address (a one-address subnet) or a CIDR range, as TRUST_PROXY has already checked it. */
function subnet (entry: string): [string, number, 'ipv4' | 'ipv6'] {
  const [network = '', prefix] = entry.split('/')
  const type = isIPv4(network) ? 'ipv4' : 'ipv6'
  return [network, prefix === undefined ? (type === 'ipv4' ? 32 : 128) : Number(prefix), type]
}

export function trustedPeer (trust: number | string[] | undefined): (address: string | undefined) => boolean {
  // A hop count trusts whatever is nearest: the peer is the proxy by the operator's word.
  if (typeof trust === 'number') return () => true
  if (trust === undefined) return () => false
  const list = new BlockList()
  for (const entry of trust) {
    for (const [network, prefix, type] of NAMED_RANGES[entry] ?? [subnet(entry)]) list.addSubnet(network, prefix, type)
  }
  return address => {
    if (address === undefined) return false
    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address
    return list.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6')
  }
}
