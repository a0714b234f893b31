/**
 * A TEST EMULATION of Jitsi's Prosody meeting modules (not in any package registry), written from
 * docs/jitsi.md §13: mod_muc_end_meeting (POST /end-meeting, 401 on any token failure),
 * mod_muc_kick_participant (PUT /kick-participant, exactly application/json, 403 on token failure) and
 * mod_muc_size (GET /room, a login token in the query when verification is on). System tokens are checked
 * as the modules check them: the main VirtualHost's algorithm, the key fetched from the key repository
 * at <repo>/<sha256 hex of kid>.pem and cached per kid, typ, signature, exp/nbf, iss, aud, and room and
 * sub present. Rooms and occupants are the test's. It imports nothing from src/.
 */
import { createHash, createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'

export interface Occupant { nick: string, displayName: string }

export interface ModulesOptions {
  appId: string
  /** The main VirtualHost's signature_algorithm. */
  hostAlgorithm: 'RS256' | 'HS256'
  /** prosody_password_public_key_repo_url (no trailing slash). */
  keyRepository: string
  /** How the emulation reaches the key repository (the tests route it to app.inject). */
  fetchKey: (url: string) => Promise<{ status: number, body: string }>
  mucDomain: string
  /** Seconds added to the emulation's clock. */
  clockSkew?: number
  /** enable_roomsize_token_verification, with the login secret (HS256) its tokens are checked with. */
  roomTokenSecret?: string
  /** ms before each answer. */
  delay?: number
  /** Every module answers this status and body instead (a module missing, a proxy in between). */
  answerWith?: { status: number, body: string }
}

export interface ProsodyModules {
  url: string
  rooms: Map<string, Occupant[]>
  requests: string[]
  close: () => Promise<void>
}

const b64json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>

/** Prosody's util.http urlencode: everything but letters, digits and . ~ _ - as lower-case %xx. */
const prosodyUrlencode = (text: string) => [...Buffer.from(text)].map(byte => /[A-Za-z0-9.~_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`).join('')

export async function startMeetingModules (options: ModulesOptions): Promise<ProsodyModules> {
  const keys = new Map<string, KeyObject>()
  const rooms = new Map<string, Occupant[]>()
  const requests: string[] = []

  async function systemTokenValid (authorization: string | undefined): Promise<boolean> {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined
    const parts = token?.split('.')
    if (parts?.length !== 3) return false
    const header = b64json(parts[0]!)
    const claims = b64json(parts[1]!)
    if (header.typ !== 'JWT' || header.alg !== options.hostAlgorithm || options.hostAlgorithm !== 'RS256') return false
    if (typeof header.kid !== 'string') return false
    let key = keys.get(header.kid)
    if (!key) {
      const answer = await options.fetchKey(`${options.keyRepository}/${createHash('sha256').update(header.kid).digest('hex')}.pem`)
      if (answer.status !== 200) return false
      key = createPublicKey(answer.body)
      keys.set(header.kid, key)
    }
    if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2]!, 'base64url'))) return false
    const now = Math.floor(Date.now() / 1000) + (options.clockSkew ?? 0)
    if (typeof claims.exp !== 'number' || now >= claims.exp) return false
    if (typeof claims.nbf === 'number' && now < claims.nbf) return false
    return claims.iss === options.appId && claims.aud !== undefined && claims.room !== undefined && claims.sub !== undefined
  }

  function roomTokenValid (token: string | null, room: string): boolean {
    if (options.roomTokenSecret === undefined) return true
    const parts = token?.split('.')
    if (parts?.length !== 3) return false
    const expected = createHmac('sha256', options.roomTokenSecret).update(`${parts[0]}.${parts[1]}`).digest()
    const given = Buffer.from(parts[2]!, 'base64url')
    return given.length === expected.length && timingSafeEqual(given, expected) && b64json(parts[1]!).room === room
  }

  async function body (request: IncomingMessage): Promise<string> {
    let text = ''
    for await (const chunk of request) text += chunk
    return text
  }

  async function answer (request: IncomingMessage): Promise<{ status: number, body?: string }> {
    if (options.answerWith) return options.answerWith
    const url = new URL(request.url!, 'http://prosody')
    const query = url.searchParams
    if (request.method === 'POST' && url.pathname === '/end-meeting') {
      if (!await systemTokenValid(request.headers.authorization)) return { status: 401 }
      // room_jid_match_rewrite: room@<prefix>.<tenant>.<domain> → [tenant]room@<muc>
      const [node, host] = (query.get('conference') ?? '').split('@')
      const prefix = options.mucDomain.split('.')[0]
      const tenant = host !== options.mucDomain && host?.startsWith(`${prefix}.`) ? host.slice(prefix!.length + 1).split('.')[0] : undefined
      const jid = `${tenant ? `[${tenant}]` : ''}${node}@${options.mucDomain}`
      if (!rooms.delete(jid)) return { status: 404 }
      return { status: 200 }
    }
    if (request.method === 'PUT' && url.pathname === '/kick-participant') {
      if (!await systemTokenValid(request.headers.authorization)) return { status: 403 }
      if (request.headers['content-type'] !== 'application/json') return { status: 400 }
      const { participantId } = JSON.parse(await body(request)) as { participantId?: string }
      const tenant = query.get('prefix')
      const occupants = rooms.get(`${tenant ? `[${tenant}]` : ''}${prosodyUrlencode(query.get('room') ?? '')}@${options.mucDomain}`)
      const index = occupants?.findIndex(occupant => occupant.nick === participantId) ?? -1
      if (index === -1) return { status: 404 }
      occupants!.splice(index, 1)
      return { status: 200 }
    }
    if (request.method === 'GET' && url.pathname === '/room') {
      const room = query.get('room') ?? ''
      if (!roomTokenValid(query.get('token'), room)) return { status: 403 }
      const tenant = query.get('subdomain')
      const jid = `${tenant ? `[${tenant}]` : ''}${room}@${options.mucDomain}`
      const occupants = rooms.get(jid)
      if (!occupants) return { status: 404 }
      return { status: 200, body: JSON.stringify(occupants.map(occupant => ({ jid: `${jid}/${occupant.nick}`, email: '', display_name: occupant.displayName }))) }
    }
    return { status: 404 }
  }

  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url?.split('?')[0]}`)
    setTimeout(() => {
      answer(request).then(({ status, body: text }) => response.writeHead(status, { 'content-type': 'application/json' }).end(text ?? ''))
        .catch(() => response.writeHead(500).end())
    }, options.delay ?? 0)
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    rooms,
    requests,
    close: () => { server.closeAllConnections(); return new Promise(resolve => server.close(() => resolve())) }
  }
}
