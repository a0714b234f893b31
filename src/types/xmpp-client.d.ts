/** The part of @xmpp/client (which ships no types) that src/check uses. */
declare module '@xmpp/client' {
  export interface Element {
    name: string
    attrs: Record<string, string | undefined>
    children: Array<Element | string>
    getChild: (name: string, xmlns?: string) => Element | undefined
    getChildren: (name: string, xmlns?: string) => Element[]
    getChildText: (name: string, xmlns?: string) => string | null
    toString: () => string
  }

  export interface XmppClient {
    start: () => Promise<unknown>
    stop: () => Promise<unknown>
    send: (element: Element) => Promise<void>
    on: (event: 'error' | 'stanza' | 'offline' | 'disconnect', listener: (value: never) => void) => XmppClient
    reconnect: { stop: () => void }
    iqCaller: { request: (element: Element, timeoutMs?: number) => Promise<Element> }
    jid?: { toString: () => string }
  }

  export function client (options: { service: string, domain: string, resource?: string }): XmppClient
  export function xml (name: string, attrs?: Record<string, string>, ...children: Array<Element | string>): Element
}
