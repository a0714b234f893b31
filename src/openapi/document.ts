/**
 * The OpenAPI document as `npm run openapi` writes it to openapi.yaml: the app built on development
 * defaults (no environment read), so the file depends on the code only and a test can tell when
 * the committed copy is stale.
 */
import Fastify from 'fastify'
import app, { serverOptions } from '../app.js'
import { loadConfig } from '../config.js'

export async function openapiYaml (): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'development' })
  const fastify = Fastify(serverOptions(config, false))
  try {
    await fastify.register(app, { config })
    await fastify.ready()
    return (await fastify.openapiDocument())({ yaml: true })
  } finally {
    await fastify.close()
  }
}
