/// <reference lib="dom" />
/**
 * The /doctor page's script, bundled for the browser (scripts/console-bundle.mjs). It runs the same
 * doctor as the CLI and POST /tokens/verify (src/jitsi/doctor) inside the page: the token, a secret or a
 * public key typed here never leave it. The only request it makes is for the service's public settings.
 */
import { diagnoseAsync } from '../jitsi/doctor/diagnose.js'
import type { Check, Diagnosis } from '../jitsi/doctor/check.js'
import { withOverrides, type DoctorKeys, type ProsodyOverrides } from '../jitsi/doctor/deployment.js'
import { parseMeetingLink } from '../jitsi/doctor/meeting-link.js'
import { serviceDeployment, serviceKeys, type DoctorServiceSettings, type PublishedPublicKey } from '../jitsi/doctor/service-defaults.js'
import { decodeJsonSegment } from '../jitsi/doctor/token-format.js'
import { meaningOf } from './claim-meanings.js'

interface PublicSettings extends DoctorServiceSettings {
  keys: PublishedPublicKey[]
}

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const field = (id: string) => element<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(id).value.trim()
const list = (text: string) => text.split(',').map(item => item.trim()).filter(Boolean)

function make (tag: string, text?: string, attributes: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  return node
}

function timeText (path: string, value: unknown): string {
  const shown = JSON.stringify(value)
  if (!['exp', 'nbf', 'iat'].includes(path) || typeof value !== 'number') return shown
  return `${shown} (${new Date(value * 1000).toLocaleString()}, ${value - Math.floor(Date.now() / 1000)} s from now)`
}

function rows (prefix: string, value: unknown, into: Array<[string, unknown]>, depth = 0): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < 3 && (prefix === 'context' || prefix === 'context.user' || prefix === '')) {
    for (const [key, child] of Object.entries(value)) rows(prefix === '' ? key : `${prefix}.${key}`, child, into, depth + 1)
    return
  }
  into.push([prefix, value])
}

function claimsTable (token: string): HTMLElement | undefined {
  const [headerPart, payloadPart] = token.split('.')
  const header = headerPart === undefined ? undefined : decodeJsonSegment(headerPart)?.value
  const payload = payloadPart === undefined ? undefined : decodeJsonSegment(payloadPart)?.value
  if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) return undefined
  const table = make('table')
  table.append(make('caption', 'Header and claims'))
  const head = make('tr')
  for (const title of ['Claim', 'Value', 'Meaning']) head.append(make('th', title, { scope: 'col' }))
  table.append(make('thead').appendChild(head).parentElement!)
  const body = make('tbody')
  const entries: Array<[string, unknown]> = []
  for (const [key, value] of Object.entries(header)) entries.push([`header.${key}`, value])
  rows('', payload, entries)
  for (const [path, value] of entries) {
    const row = make('tr', undefined, { 'data-claim': path })
    row.append(make('th', path, { scope: 'row' }), make('td', timeText(path, value)), make('td', meaningOf(path)))
    body.append(row)
  }
  table.append(body)
  return table
}

const MARKS = { pass: '✓', fail: '✗', hint: '!' } as const

function outcome (check: Check): keyof typeof MARKS {
  if (check.ok) return 'pass'
  return check.blocking ? 'fail' : 'hint'
}

function checksList (diagnosis: Diagnosis): HTMLElement {
  const items = make('ol', undefined, { class: 'checks' })
  for (const check of diagnosis.checks) {
    const kind = outcome(check)
    const item = make('li', undefined, { 'data-check': check.name, 'data-outcome': kind, class: kind })
    item.append(make('span', MARKS[kind], { 'aria-hidden': 'true', class: 'mark' }),
      make('span', `${kind === 'pass' ? 'passed' : kind === 'fail' ? 'Prosody refuses' : 'worth fixing'}: `, { class: 'visually-hidden' }),
      make('strong', check.name), document.createTextNode(` ${check.detail}`))
    items.append(item)
  }
  return items
}

function overrides (): ProsodyOverrides {
  const algorithm = field('algorithm')
  return {
    acceptedIssuers: list(field('issuers')),
    acceptedAudiences: list(field('audiences')).length > 0 ? list(field('audiences')) : ['*'],
    xmppDomain: field('xmpp-domain'),
    domainVerification: element<HTMLInputElement>('domain-verification').checked,
    ...(algorithm ? { algorithm: algorithm as ProsodyOverrides['algorithm'] } : {})
  }
}

function keys (settings: PublicSettings): DoctorKeys {
  const secret = field('secret')
  const publicKey = field('public-key')
  return serviceKeys({}, () => settings.keys, {
    ...(secret ? { secret: { key: secret, from: 'the secret given in this page' } } : {}),
    ...(publicKey ? { publicKey: { key: publicKey, from: 'the public key given in this page' } } : {})
  })
}

async function check (settings: PublicSettings): Promise<void> {
  const results = element('results')
  const status = element('verdict')
  results.replaceChildren()
  const pasted = field('token')
  const link = parseMeetingLink(pasted, settings.publicUrl)
  const token = link ? link.token : pasted
  if (!token) {
    status.textContent = link ? 'This link carries no ?jwt= or #jwt= token.' : 'Paste a token or a meeting link first.'
    element('token').setAttribute('aria-invalid', 'true')
    return
  }
  element('token').removeAttribute('aria-invalid')
  const room = field('room') || link?.room
  const tenant = field('tenant') || link?.tenant
  const diagnosis = await diagnoseAsync({ token, ...(room ? { room } : {}), ...(tenant ? { tenant } : {}) }, withOverrides(serviceDeployment(settings), overrides()), keys(settings))
  status.textContent = diagnosis.valid ? '✓ Prosody accepts this token.' : `✗ Prosody refuses this token: "${diagnosis.reason}".`
  status.dataset.valid = String(diagnosis.valid)
  for (const warning of link?.warnings ?? []) results.append(make('p', `! ${warning}`, { class: 'hint' }))
  const table = claimsTable(token)
  if (table) results.append(table)
  results.append(make('h2', 'Checks'), checksList(diagnosis))
}

async function start (): Promise<void> {
  const settings = await (await fetch('doctor/settings.json', { credentials: 'omit' })).json() as PublicSettings
  element<HTMLInputElement>('issuers').value = settings.jaasAppId ? 'chat' : settings.appId
  element<HTMLInputElement>('audiences').value = '*'
  element<HTMLInputElement>('xmpp-domain').value = settings.xmppDomain
  element<HTMLSelectElement>('algorithm').value = settings.algorithm
  const form = element<HTMLFormElement>('doctor-form')
  form.addEventListener('submit', event => {
    event.preventDefault()
    check(settings).catch((error: Error) => { element('verdict').textContent = `The check failed: ${error.message}` })
  })
  form.dataset.ready = 'true'
}

start().catch((error: Error) => { element('verdict').textContent = `The page could not load its settings: ${error.message}` })
