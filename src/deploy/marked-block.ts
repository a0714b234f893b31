/**
 * init's part of a file that others write too (docker-jitsi-meet's custom-meet.conf, custom-config.js):
 * one block between marker comments, replaced as a whole on the next run, everything around it kept.
 */
export function upsertBlock (text: string, block: string, comment: '#' | '//'): string {
  const begin = `${comment} BEGIN jitsi-token-service (written by \`jitsi-token-service init\`; edits inside are replaced)`
  const end = `${comment} END jitsi-token-service`
  const marked = `${begin}\n${block.trimEnd()}\n${end}\n`
  const start = text.indexOf(begin)
  const stop = text.indexOf(end, start)
  if (start !== -1 && stop !== -1) return text.slice(0, start) + marked + text.slice(stop + end.length).replace(/^\n/, '')
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  return `${text}${separator}${text === '' ? '' : '\n'}${marked}`
}
