/**
 * One participant of the live check, joining as Jitsi's web client does (lib-jitsi-meet): XMPP over the
 * site's WebSocket with `?room=<room>&token=<token>` in the URL (Prosody's mod_jitsi_session reads both),
 * SASL ANONYMOUS (which Jitsi's token authentication answers), a conference request to jicofo (which
 * creates the room: a token user may not), then presence to `<room>@<muc>/<nick>`. It records what
 * Prosody answered at each step; it never prints or keeps the token.
 */
import { randomBytes } from 'node:crypto'
import { client, xml, type Element, type XmppClient } from '@xmpp/client'
import { CheckFailure, networkFailure } from './check-failure.js'
import { ensureWebSocket } from './websocket-global.js'

export interface JoinTarget {
  websocketUrl: string
  xmppDomain: string
  muc: string
  focus: string
  room: string
  token: string
  timeoutMs: number
  /** How long to keep watching after joining: jicofo changes roles just after a join. */
  settleMs: number
}

export interface JoinOutcome {
  authenticated: boolean
  /** Prosody's or jicofo's answer when it refused, e.g. "not-allowed: Not acceptable by exp (…)". */
  refusal?: string
  joined: boolean
  /** Held by the room's lobby (members-only): Jitsi answers registration-required. */
  lobby: boolean
  affiliation?: string
  role?: string
}

export interface Participant {
  outcome: JoinOutcome
  leave: () => Promise<void>
}

const MUC = 'http://jabber.org/protocol/muc'
const MUC_USER = 'http://jabber.org/protocol/muc#user'
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas'
/** Errors before a connection exists (or TLS); any other socket error means the server closed it. */
const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/

async function within<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckFailure('timeout', `${what} did not answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** "condition: text" of an XMPP error element or a SASL/stanza error object. */
function reason (condition: string | undefined, text: string | null | undefined): string {
  return [condition, text].filter(Boolean).join(': ')
}

function errorOf (stanza: Element): string {
  const error = stanza.getChild('error')
  const condition = error?.children.find((child): child is Element => typeof child !== 'string' && child.attrs.xmlns === STANZAS && child.name !== 'text')
  return reason(condition?.name, error?.getChildText('text', STANZAS))
}

function connectionUrl (target: JoinTarget): string {
  const url = new URL(target.websocketUrl)
  url.searchParams.set('room', target.room)
  url.searchParams.set('token', target.token)
  return url.href
}

async function connect (xmpp: XmppClient, target: JoinTarget): Promise<string | undefined> {
  const where = new URL(target.websocketUrl).origin
  try {
    await within(xmpp.start(), target.timeoutMs, `the XMPP server at ${where}`)
    return undefined
  } catch (error) {
    if (error instanceof CheckFailure) throw error
    const { name, condition, text, code } = error as { name?: string, condition?: string, text?: string, code?: string }
    if (name === 'SASLError') return reason(condition, text)
    if (name === 'StreamError') throw new CheckFailure('xmppClosed', `the XMPP server at ${where} closed the stream (${reason(condition, text)})`)
    if (code !== undefined && UNREACHABLE.test(code)) throw networkFailure(error, `the XMPP WebSocket at ${where}`)
    throw new CheckFailure('xmppClosed', `the XMPP WebSocket at ${where} closed (${(error as Error).message})`)
  }
}

/** jicofo creates the room; its refusal (for example no authenticated user) is an answer, not a failure. */
async function requestConference (xmpp: XmppClient, target: JoinTarget, roomJid: string): Promise<string | undefined> {
  const request = xml('iq', { type: 'set', to: target.focus }, xml('conference', { xmlns: 'http://jitsi.org/protocol/focus', room: roomJid, 'machine-uid': randomBytes(16).toString('hex') }))
  try {
    await xmpp.iqCaller.request(request, target.timeoutMs)
    return undefined
  } catch (error) {
    const { name, condition, text } = error as { name?: string, condition?: string, text?: string }
    if (name === 'StanzaError') return `jicofo (${target.focus}) refused the conference request: ${reason(condition, text)}`
    throw new CheckFailure('timeout', `jicofo (${target.focus}) did not answer the conference request within ${target.timeoutMs} ms`)
  }
}

export async function joinRoom (target: JoinTarget): Promise<Participant> {
  ensureWebSocket()
  const xmpp = client({ service: connectionUrl(target), domain: target.xmppDomain })
  xmpp.reconnect.stop()
  // Errors also reach start()'s promise; without a listener an 'error' event would end the process.
  xmpp.on('error', () => {})
  const stop = async () => { await within(xmpp.stop(), target.timeoutMs, 'closing the XMPP connection').catch(() => {}) }
  const outcome: JoinOutcome = { authenticated: false, joined: false, lobby: false }

  const refused = await connect(xmpp, target)
  if (refused !== undefined) {
    await stop()
    return { outcome: { ...outcome, refusal: refused }, leave: async () => {} }
  }
  outcome.authenticated = true
  const roomJid = `${target.room}@${target.muc}`
  const occupant = `${roomJid}/${randomBytes(4).toString('hex')}`
  try {
    const focusRefusal = await requestConference(xmpp, target, roomJid)
    if (focusRefusal !== undefined) {
      await stop()
      return { outcome: { ...outcome, refusal: focusRefusal }, leave: async () => {} }
    }
    const answered = new Promise<void>(resolve => {
      xmpp.on('stanza', ((stanza: Element) => {
        if (stanza.name !== 'presence' || stanza.attrs.from !== occupant) return
        if (stanza.attrs.type === 'error') {
          outcome.refusal = errorOf(stanza)
          outcome.lobby = stanza.getChild('error')?.getChild('registration-required', STANZAS) !== undefined
        } else if (stanza.attrs.type !== 'unavailable') {
          const item = stanza.getChild('x', MUC_USER)?.getChild('item')
          outcome.joined = true
          outcome.affiliation = item?.attrs.affiliation
          outcome.role = item?.attrs.role
        }
        resolve()
      }) as (value: never) => void)
    })
    await xmpp.send(xml('presence', { to: occupant }, xml('x', { xmlns: MUC })))
    await within(answered, target.timeoutMs, `the room ${roomJid}`)
    if (outcome.joined) await new Promise(resolve => setTimeout(resolve, target.settleMs))
  } catch (error) {
    await stop()
    throw error
  }
  return {
    outcome,
    async leave () {
      if (outcome.joined) await xmpp.send(xml('presence', { to: occupant, type: 'unavailable' })).catch(() => {})
      await stop()
    }
  }
}
