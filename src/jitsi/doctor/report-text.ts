/**
 * The doctor's report as text for a terminal: one line per check, ✓ passed, ✗ Prosody rejects the
 * token for this, ⚠ a hint Prosody does not enforce; then the verdict.
 */
import type { Check, Diagnosis } from './check.js'

const WIDTH = 100
const NAME_WIDTH = 10

export function mark (check: Check): string {
  if (check.ok) return '✓'
  return check.blocking ? '✗' : '⚠'
}

/** Greedy word wrap; a word longer than the line stays whole. */
export function wrap (text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  lines.push(line)
  return lines
}

function verdict (diagnosis: Diagnosis): string {
  const hints = diagnosis.checks.filter(check => !check.ok && !check.blocking).length
  const hintText = hints === 0 ? '' : hints === 1 ? '; the ⚠ line is worth fixing too' : `; the ${hints} ⚠ lines are worth fixing too`
  if (diagnosis.valid) return `✓ Prosody accepts this token${hintText}.`
  return `✗ Prosody rejects this token: "${diagnosis.reason}". Fix the ✗ lines${hintText}.`
}

export function formatDiagnosis (diagnosis: Diagnosis): string {
  const indent = ' '.repeat(NAME_WIDTH + 3)
  const lines = diagnosis.checks.flatMap(check => wrap(check.detail, WIDTH - indent.length)
    .map((text, index) => index === 0 ? `${mark(check)} ${check.name.padEnd(NAME_WIDTH)} ${text}` : `${indent}${text}`))
  return `${lines.join('\n')}\n\n${verdict(diagnosis)}\n`
}
