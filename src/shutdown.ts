/**
 * Graceful shutdown, as orchestrators (Kubernetes, Docker, systemd) expect it. On SIGTERM/SIGINT:
 *  1. /health/ready answers 503 at once, so load balancers take this instance out of rotation;
 *  2. the listener keeps accepting and answering for SHUTDOWN_DRAIN ms, because they need a moment
 *     to notice and closing now would reset the connections already queued in the kernel;
 *  3. fastify.close() stops accepting, closes idle keep-alive connections and waits for the requests
 *     in flight (server.ts turns off Fastify's 503-while-closing, so those requests complete);
 *  4. the logs are flushed and the process exits 0.
 * SHUTDOWN_TIMEOUT (from the signal) bounds it all: past it the process exits 1. A second signal exits
 * at once; SIGHUP is left to its reload handlers. An uncaught error closes without the drain, exit 1.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { symbols, type Logger } from 'pino'
import sonicBoom from 'sonic-boom'

// A CommonJS module: Node's ESM import hands over module.exports, which carries the class as a property.
const { SonicBoom } = sonicBoom

export interface ShutdownSettings {
  drainMs: number
  timeoutMs: number
}

export interface ShutdownCause {
  signal?: string
  err?: Error
}

/**
 * Resolves once every log line is written, so none is lost on exit. pino writes stdout asynchronously
 * (sonic-boom), one chunk at a time; its flush() returns at once even with a chunk still being written,
 * and the synchronous write on exit skips that chunk: with a slow log reader (a full pipe) audit lines
 * were lost (pinojs/sonic-boom#101). end() writes that chunk and the rest, in order; fd 1 stays open.
 */
function flushLogs (log: FastifyInstance['log']): Promise<void> {
  const stream = (log as Logger & { [symbols.streamSym]: unknown })[symbols.streamSym]
  return new Promise(resolve => {
    if (stream instanceof SonicBoom) {
      stream.once('close', resolve).once('error', resolve)
      stream.end()
    } else {
      (log as Logger).flush(() => resolve())
    }
  })
}

/** Steps 1–4 for one cause; the caller (close-with-grace) exits afterwards. */
export async function shutDown (fastify: FastifyInstance, cause: ShutdownCause, drainMs: number): Promise<void> {
  fastify.readiness.shutDown()
  if (cause.err) {
    fastify.log.fatal({ event: 'shutdown', err: cause.err }, 'unexpected error: closing without draining')
  } else {
    fastify.log.info({ event: 'shutdown', signal: cause.signal, drainMs }, `${cause.signal}: not ready; draining for ${drainMs} ms, then closing`)
    await sleep(drainMs)
  }
  await fastify.close()
  // The server can report closed before the onResponse hooks of its last answers (the audit lines) ran.
  await new Promise(resolve => setImmediate(resolve))
  fastify.log.info({ event: 'shutdown.complete' }, 'closed: every request answered')
  await flushLogs(fastify.log)
}

export function installGracefulShutdown (fastify: FastifyInstance, settings: ShutdownSettings) {
  return closeWithGrace({
    delay: settings.timeoutMs,
    // SIGHUP reloads files (see server.ts); it must not stop the service. beforeExit: nothing left to close.
    skip: ['SIGHUP', 'beforeExit'],
    logger: false,
    onTimeout: (delay) => {
      fastify.log.error({ event: 'shutdown.timeout', timeoutMs: delay }, `requests still running after SHUTDOWN_TIMEOUT (${delay} ms); exiting 1`)
    },
    onSecondSignal: (signal) => {
      fastify.log.warn({ event: 'shutdown.forced', signal }, `second ${signal}: exiting now`)
    }
  }, (cause) => shutDown(fastify, cause, settings.drainMs))
}
