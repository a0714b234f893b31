/** The /doctor page's HTML and CSS: static, no inline script or style, so a strict CSP holds. */

export const DOCTOR_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Token doctor · jitsi-token-service</title>
<link rel="stylesheet" href="doctor/app.css">
<script type="module" src="doctor/app.js"></script>
</head>
<body>
<main>
<h1>Token doctor</h1>
<p>Paste a Jitsi token or a whole meeting link: every check Prosody and the web client make runs <strong>in this page</strong>.
The token, and a secret or key you type here, are never sent anywhere.</p>
<form id="doctor-form">
<label for="token">Token or meeting link</label>
<textarea id="token" name="token" rows="5" spellcheck="false" autocomplete="off" required></textarea>
<div class="row">
<div><label for="room">Room (optional)</label><input id="room" name="room" autocomplete="off"></div>
<div><label for="tenant">Tenant (optional)</label><input id="tenant" name="tenant" autocomplete="off"></div>
</div>
<fieldset>
<legend>The Prosody to check against</legend>
<div class="row">
<div><label for="issuers">Accepted issuers (comma-separated)</label><input id="issuers" name="issuers" autocomplete="off"></div>
<div><label for="audiences">Accepted audiences</label><input id="audiences" name="audiences" autocomplete="off"></div>
</div>
<div class="row">
<div><label for="xmpp-domain">XMPP domain</label><input id="xmpp-domain" name="xmpp-domain" autocomplete="off"></div>
<div><label for="algorithm">Algorithm</label>
<select id="algorithm" name="algorithm"><option>HS256</option><option>HS384</option><option>HS512</option><option>RS256</option><option>RS384</option><option>RS512</option></select></div>
</div>
<div class="check"><input type="checkbox" id="domain-verification" name="domain-verification" checked><label for="domain-verification">Domain verification on (Prosody's default; docker-jitsi-meet's is off)</label></div>
</fieldset>
<fieldset>
<legend>Signature (optional, stays in this page)</legend>
<label for="secret">App secret (HS*)</label><input id="secret" name="secret" type="password" autocomplete="off">
<label for="public-key">Public key, PEM (RS*)</label><textarea id="public-key" name="public-key" rows="3" spellcheck="false"></textarea>
</fieldset>
<button type="submit">Check</button>
</form>
<p id="verdict" role="status" aria-live="polite"></p>
<section id="results" aria-label="Results"></section>
</main>
</body>
</html>
`

export const DOCTOR_PAGE_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 1rem; }
main { max-width: 60rem; margin: 0 auto; }
label { display: block; font-weight: 600; margin-top: .75rem; }
textarea, input:not([type=checkbox]), select { width: 100%; box-sizing: border-box; font: inherit; padding: .4rem; }
textarea { font-family: ui-monospace, monospace; }
.row { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 1rem; }
.check { display: flex; gap: .5rem; align-items: center; margin-top: .75rem; }
.check label { margin: 0; font-weight: normal; }
fieldset { margin-top: 1rem; border: 1px solid; }
button { margin-top: 1rem; font: inherit; padding: .5rem 1.5rem; }
:focus-visible { outline: 3px solid; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { border: 1px solid; padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
caption { font-weight: 600; text-align: left; }
ol.checks { list-style: none; padding: 0; }
ol.checks li { margin: .4rem 0; }
.mark { display: inline-block; width: 1.5rem; font-weight: 700; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
#verdict { font-size: 1.2rem; font-weight: 600; }
`
