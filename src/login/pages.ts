/**
 * The few HTML pages a login shows: readable errors and refusals, the "open the app" page, and the
 * pages that answer Jitsi's popup or logout iframe with postMessage. Pure: text in, markup out. The
 * route sends them with a content security policy that allows only this page's nonce.
 */
import { randomBytes } from 'node:crypto'

export interface Page {
  status: number
  html: string
  /** Allows the page's one inline script and style. */
  nonce: string
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, char => ESCAPES[char]!)

/** JSON that cannot end the script element or open a comment inside it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')

function layout (nonce: string, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}
a.button{display:inline-block;padding:.6rem 1.2rem;background:#246fe5;color:#fff;border-radius:.3rem;text-decoration:none}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
}

const newNonce = () => randomBytes(16).toString('base64')

export interface MessageOptions {
  title: string
  text: string
  /** Each named problem, e.g. "room: is not among the rooms granted …". */
  details?: string[]
  link?: { href: string, label: string }
}

export function messagePage (status: number, options: MessageOptions): Page {
  const nonce = newNonce()
  const details = options.details && options.details.length > 0
    ? `<ul>${options.details.map(detail => `<li>${escapeHtml(detail)}</li>`).join('')}</ul>`
    : ''
  const link = options.link ? `<p><a class="button" href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.label)}</a></p>` : ''
  return { status, nonce, html: layout(nonce, options.title, `<p>${escapeHtml(options.text)}</p>${details}${link}`) }
}

/**
 * Posts `message` to the window that opened (popup) or framed (logout iframe) this one, for
 * `targetOrigin` only: the Jitsi origin, which also only accepts messages from itself (§11.6).
 */
export function postMessagePage (status: number, message: Record<string, unknown>, targetOrigin: string, fallback: MessageOptions): Page {
  const page = messagePage(status, fallback)
  const script = '(function(){var target=window.opener||(window.parent!==window?window.parent:null);' +
    `if(target)target.postMessage(${scriptJson(message)},${scriptJson(targetOrigin)})})()`
  return { ...page, html: page.html.replace('</body>', `<script nonce="${page.nonce}">${script}</script></body>`) }
}
