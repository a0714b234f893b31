/**
 * Where in a clients file a problem sits, as `line L, column C`, for a JSON pointer into it. JSON is
 * YAML, so one parser finds the node for both; it loads only when a file has problems to report.
 */
import { createRequire } from 'node:module'

export function positionOf (text: string, pointer: string): string {
  const { LineCounter, parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml')
  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines, logLevel: 'silent' })
  const path = pointer.split('/').slice(1).map(part => /^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~'))
  // The deepest node that exists (a missing field is reported where its object is); the file's start at worst.
  let offset = 0
  for (let depth = path.length; depth > 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined
    if (node?.range) {
      offset = node.range[0]
      break
    }
  }
  const { line, col } = lines.linePos(offset)
  return `line ${line}, column ${col}`
}
