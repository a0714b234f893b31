/**
 * GET /doctor: the token doctor as a page (src/console/doctor-page.ts runs the checks in the browser).
 * Public, like the published keys: it receives nothing. Its settings are the service's public ones
 * (issuer, algorithm, XMPP domain, public keys), never a secret. A strict CSP: scripts and styles from
 * this origin only, no inline code, no other origin contacted. CONSOLE_DOCTOR=false turns it off.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Config } from '../config.js'
import { doctorSettings } from '../config/doctor-settings.js'
import { consoleBundle } from '../console/console-bundle.js'
import { DOCTOR_PAGE_CSS, DOCTOR_PAGE_HTML } from '../console/doctor-page-html.js'

export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

function page (reply: FastifyReply, type: string, body: string) {
  return reply.type(type).header('content-security-policy', CONSOLE_CSP).header('cache-control', 'no-cache').send(body)
}

const doctorPage: FastifyPluginAsync<{ config: Config }> = async (fastify, opts) => {
  const { secret, ...publicSettings } = doctorSettings(opts.config)
  const hidden = { schema: { hide: true } }

  fastify.get('/doctor', hidden, async (_request, reply) => page(reply, 'text/html; charset=utf-8', DOCTOR_PAGE_HTML))
  fastify.get('/doctor/app.css', hidden, async (_request, reply) => page(reply, 'text/css; charset=utf-8', DOCTOR_PAGE_CSS))
  fastify.get('/doctor/app.js', hidden, async (_request, reply) => page(reply, 'text/javascript; charset=utf-8', await consoleBundle()))
  fastify.get('/doctor/settings.json', hidden, async (_request, reply) => {
    const keys = fastify.keys.current.published.map(key => ({ kid: key.kid, publicPem: key.publicPem }))
    return page(reply, 'application/json; charset=utf-8', JSON.stringify({ ...publicSettings, keys }))
  })
}

export default doctorPage
