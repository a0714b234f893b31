/**
 * @xmpp/websocket opens `new WebSocket(url)` from the global scope, which Node has from version 22; on
 * older Node the `ws` package provides the same browser-style class.
 */
import { WebSocket } from 'ws'

export function ensureWebSocket (): void {
  const scope = globalThis as { WebSocket?: unknown }
  /* c8 ignore next */
  scope.WebSocket ??= WebSocket
}
