/**
 * A reverse proxy without TRUST_PROXY is a trap: its X-Forwarded-For is ignored, so every person shares
 * the proxy's address in rate limits and audit lines. Said once, the first time it happens.
 */
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { trustedPeer } from '../config/trusted-peer.js'

export default fp(async function untrustedForwarding (fastify, opts: { config: Config }) {
  const fromProxy = trustedPeer(opts.config.trustProxy)
  let warned = false
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!warned && request.headers['x-forwarded-for'] !== undefined && !fromProxy(request.socket.remoteAddress)) {
      warned = true
      request.log.warn({ event: 'config.untrusted_proxy', peer: request.socket.remoteAddress },
        'X-Forwarded-For arrived from a peer TRUST_PROXY does not name, so it is ignored and every client behind that proxy shares its address: set TRUST_PROXY to the proxy\'s address or range')
    }
    done()
  })
}, { name: 'untrusted-forwarding' })
