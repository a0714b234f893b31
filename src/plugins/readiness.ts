/** Whether the service should receive traffic: false until start-up is complete and from the first shutdown signal on. */
import fp from 'fastify-plugin'

export interface Readiness {
  ready: boolean
  reason: string
  notReady: (reason: string) => void
}

declare module 'fastify' {
  interface FastifyInstance { readiness: Readiness }
}

export default fp(async function readiness (fastify) {
  const state: Readiness = {
    ready: false,
    reason: 'starting',
    notReady (reason) {
      state.ready = false
      state.reason = reason
    }
  }
  fastify.decorate('readiness', state)
  fastify.addHook('onReady', async () => {
    state.ready = true
    state.reason = 'ready'
  })
  fastify.addHook('preClose', async () => state.notReady('shutting down'))
}, { name: 'readiness' })
