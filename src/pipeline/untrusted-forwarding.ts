/**
 * A reverse proxy without TRUST_PROXY is a trap: its X-Forwarded-For is ignored, so every person shares
 * the proxy's address in rate limits and audit lines. Said once, the first time it happens.
 */
import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { trustedPeer } from '../config/trusted-peer.js'

export function untrustedForwardingWarning (trustProxy: Config['trustProxy']): (request: FastifyRequest) => void {
  const fromProxy = trustedPeer(trustProxy)
  let warned = false
  return function warnOnceIfUntrusted (request) {
    if (warned || request.headers['x-forwarded-for'] === undefined || fromProxy(request.socket.remoteAddress)) return
    warned = true
    request.log.warn({ event: 'config.untrusted_proxy', peer: request.socket.remoteAddress },
      'X-Forwarded-For arrived from a peer TRUST_PROXY does not name, so it is ignored and every client behind that proxy shares its address: set TRUST_PROXY to the proxy\'s address or range')
  }
}
