/**
 * The /meetings pages as HTML: the form (with each problem beside its field) and the two links with copy
 * buttons. No inline script or style: /meetings/app.js fills in the browser's time zone and copies.
 */
import { escapeHtml as e } from '../login/pages.js'
import type { FieldProblem } from '../schemas/problem.js'
import type { FormValues } from './meeting-form.js'

export const MEETINGS_SCRIPT = `
const tz = document.getElementById('tz')
if (tz) tz.value = String(new Date().getTimezoneOffset())
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', async () => {
    const field = document.getElementById(button.dataset.copy)
    await navigator.clipboard.writeText(field.value)
    document.getElementById('copied').textContent = button.dataset.label + ' copied'
  })
}
`

export const MEETINGS_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 1rem; }
main { max-width: 48rem; margin: 0 auto; }
label { display: block; font-weight: 600; margin-top: .75rem; }
input:not([type=checkbox]), textarea { width: 100%; box-sizing: border-box; font: inherit; padding: .4rem; }
textarea { font-family: ui-monospace, monospace; }
.row { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 1rem; }
.check { display: flex; gap: .5rem; align-items: center; margin-top: .5rem; }
.check label { margin: 0; font-weight: normal; }
.problem { color: #b00020; font-weight: 600; margin: .25rem 0 0; }
@media (prefers-color-scheme: dark) { .problem { color: #ff8a80; } }
fieldset { margin-top: 1rem; border: 1px solid; }
button { margin-top: 1rem; font: inherit; padding: .5rem 1.5rem; }
:focus-visible { outline: 3px solid; outline-offset: 2px; }
`

function layout (title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${e(title)} · jitsi-token-service</title><link rel="stylesheet" href="meetings/app.css"><script type="module" src="meetings/app.js"></script></head>
<body><main>${body}</main></body>
</html>
`
}

const FIELD_OF: Array<[RegExp, string]> = [[/^room$/, 'room'], [/^tenant$/, 'tenant'], [/^start$/, 'start'], [/^(end|ttl)$/, 'end'], [/lobby/, 'lobby'], [/features/, 'features'], [/^guestName$|^context\.user/, 'guestName']]

/** Which form field a problem belongs beside; `general` for the rest. */
export function formField (path: string): string {
  return FIELD_OF.find(([pattern]) => pattern.test(path))?.[1] ?? 'general'
}

export interface FormPage {
  csrf: string
  person: string
  values: FormValues
  problems: FieldProblem[]
  features: readonly string[]
}

export function formPage ({ csrf, person, values, problems, features }: FormPage): string {
  const problemsOf = (field: string) => problems.filter(problem => formField(problem.path) === field)
  const value = (name: string) => e([values[name]].flat()[0] ?? '')
  const describe = (name: string) => problemsOf(name).length > 0 ? ` aria-invalid="true" aria-describedby="${name}-problem"` : ''
  const problem = (name: string) => problemsOf(name).length > 0 ? `<p class="problem" id="${name}-problem">${e(problemsOf(name).map(p => `${p.path === name ? '' : `${p.path} `}${p.message}`).join('; '))}</p>` : ''
  const chosen = new Set([values.features ?? []].flat())
  const input = (name: string, label: string, type = 'text', extra = '') =>
    `<div><label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${value(name)}"${extra}${describe(name)}>${problem(name)}</div>`
  return layout('Meetings', `<h1>Meetings</h1>
<p>Signed in as ${e(person)}. Name a meeting: you get your own link and an invitation for guests.</p>
${problem('general')}
<form method="post" action="meetings">
<input type="hidden" name="_csrf" value="${e(csrf)}"><input type="hidden" name="tz" id="tz" value="0">
<div class="row">${input('room', 'Room', 'text', ' required autocomplete="off"')}${input('tenant', 'Tenant (optional)', 'text', ' autocomplete="off"')}</div>
<div class="row">${input('start', 'Start', 'datetime-local', ' required')}${input('end', 'End', 'datetime-local', ' required')}</div>
${input('guestName', 'Guests\' display name', 'text', ' placeholder="Guest" autocomplete="off"')}
<div class="check"><input type="checkbox" id="lobby" name="lobby"${[values.lobby].flat()[0] === 'on' ? ' checked' : ''}${describe('lobby')}><label for="lobby">Lobby: guests wait until someone lets them in</label></div>${problem('lobby')}
<fieldset${describe('features')}><legend>Features (none chosen: Jitsi's defaults)</legend>
${features.map(feature => `<div class="check"><input type="checkbox" id="feature-${e(feature)}" name="features" value="${e(feature)}"${chosen.has(feature) ? ' checked' : ''}><label for="feature-${e(feature)}">${e(feature)}</label></div>`).join('\n')}
</fieldset>${problem('features')}
<button type="submit">Make the links</button>
</form>`)
}

export interface LinksPage { room: string, hostUrl: string, guestUrl: string, start: string, end: string }

export function linksPage ({ room, hostUrl, guestUrl, start, end }: LinksPage): string {
  const link = (id: string, label: string, url: string) => `<label for="${id}">${label}</label>
<textarea id="${id}" rows="3" readonly>${e(url)}</textarea>
<button type="button" data-copy="${id}" data-label="${e(label)}">Copy ${e(label.toLowerCase())}</button>`
  return layout('Meeting links', `<h1>Links for ${e(room)}</h1>
<p>The guest invitation works from ${e(start)} to ${e(end)} (UTC), in this room only, never as moderator.</p>
${link('host-link', 'Your link', hostUrl)}
${link('guest-link', 'Guest invitation', guestUrl)}
<p id="copied" role="status" aria-live="polite"></p>
<p><a href="meetings">Make another</a></p>`)
}
