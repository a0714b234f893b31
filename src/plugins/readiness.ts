/** Whether the service should receive traffic: false until start-up is complete and from the first shutdown signal on. */
import fp from 'fastify-plugin'

export interface Readiness {
  ready: boolean
  reason: string
  /** True from the first shutdown signal on (src/shutdown.ts); never reset. Answers then carry Connection: close (plugins/request-pipeline.ts). */
  shuttingDown: boolean
  notReady: (reason: string) => void
  /** Not ready for good: the process is going away. */
  shutDown: () => void
}

export const SHUTTING_DOWN = 'shutting down'

declare module 'fastify' {
  interface FastifyInstance { readiness: Readiness }
}

export default fp(async function readiness (fastify) {
  const state: Readiness = {
    ready: false,
    reason: 'starting',
    shuttingDown: false,
    notReady (reason) {
      state.ready = false
      state.reason = reason
    },
    shutDown () {
      state.shuttingDown = true
      state.notReady(SHUTTING_DOWN)
    }
  }
  fastify.decorate('readiness', state)
  fastify.addHook('onReady', async () => {
    state.ready = true
    state.reason = 'ready'
  })
  fastify.addHook('preClose', async () => state.shutDown())
}, { name: 'readiness' })
