/**
 * The only file that listens: loads the config, builds the app, listens, and shuts down gracefully.
 */
import Fastify from 'fastify'
import app, { LOG_REDACTIONS, serverOptions } from './app.js'
import { loadConfig, type Config } from './config.js'
import { problemLines } from './config/config-error.js'
import { developmentBanner } from './development-banner.js'
import { installGracefulShutdown } from './shutdown.js'
import { startupSummary, startupWarnings } from './startup-report.js'

function configOrExit (): Config {
  try {
    return loadConfig(process.env)
  } catch (error) {
    // Each problem starts with the variable to fix; all of them at once, one per line.
    const problems = problemLines(error)
    process.stderr.write(problems.length === 1
      ? `jitsi-token-service: configuration error: ${problems[0]}\n`
      : `jitsi-token-service: ${problems.length} configuration errors:\n${problems.map(problem => `  ${problem}\n`).join('')}`)
    process.exit(1)
  }
}

async function main () {
  const config = configOrExit()
  const fastify = Fastify({
    ...serverOptions(config, { level: config.logLevel, redact: LOG_REDACTIONS }),
    // During shutdown, requests already on a connection are answered, not refused with 503 (src/shutdown.ts).
    return503OnClosing: false
  })
  try {
    await fastify.register(app, { config })
    await fastify.ready()
  } catch (error) {
    process.stderr.write(`jitsi-token-service: cannot start: ${(error as Error).message}\n`)
    process.exit(1)
  }

  process.on('SIGHUP', () => {
    // Keys first: the plugin logs the outcome and keeps the current keys if the new ones are unusable.
    fastify.keys.reload()
    try {
      fastify.clients.reload()
      fastify.log.info({ event: 'clients.reloaded', clients: fastify.clients.count }, 'clients file reloaded')
    } catch (error) {
      fastify.log.error({ event: 'clients.reload_failed', err: error }, 'clients file not reloaded; keeping the previous clients')
    }
  })

  // SIGTERM/SIGINT: not ready, drain, close, flush, exit 0 (src/shutdown.ts).
  installGracefulShutdown(fastify, config.shutdown)

  try {
    const address = await fastify.listen({ host: config.host, port: config.port })
    for (const warning of startupWarnings(config, fastify.clients.count)) fastify.log.warn({ event: 'config.warning' }, warning)
    const summary = startupSummary(config, { kid: fastify.signer.kid, clients: fastify.clients.count, address, pid: process.pid })
    fastify.log.info({ event: 'service.started', ...summary.fields }, summary.line)
    const banner = developmentBanner(config, address)
    if (banner) process.stdout.write(banner + '\n')
  } catch (error) {
    process.stderr.write(`jitsi-token-service: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`)
    process.exit(1)
  }
}

await main()
