/**
 * Exchange the signed-in user's identity-provider token (OIDC access or ID token) for a Jitsi token.
 * The service takes the person (id, name, email, avatar, moderator) from that token, never from here.
 * Plain browser JavaScript, no build step.
 */

/** POST /tokens with the IdP token; resolves to { token, url, room, expiresAt }. */
export async function fetchJitsiToken (serviceUrl, idpToken, request) {
  const response = await fetch(new URL('/tokens', serviceUrl), {
    method: 'POST',
    headers: { Authorization: `Bearer ${idpToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(request)
  })
  const body = await response.json()
  if (!response.ok) {
    // application/problem+json: detail says what went wrong, errors name the fields.
    const fields = (body.errors ?? []).map(e => `${e.path} ${e.message}`).join('; ')
    throw Object.assign(new Error(fields ? `${body.detail} ${fields}` : body.detail), { status: response.status, problem: body })
  }
  return body
}

// The page: where the IdP token comes from depends on your OIDC library, for example
//   keycloak-js:    await keycloak.updateToken(30); const idpToken = keycloak.token
//   oidc-client-ts: const idpToken = (await userManager.getUser()).access_token
// Here it is pasted into the form.
const form = document.querySelector('#join')
const output = document.querySelector('#output')

form?.addEventListener('submit', async event => {
  event.preventDefault()
  const data = new FormData(form)
  output.textContent = 'Asking for a token…'
  try {
    const { url } = await fetchJitsiToken(data.get('service'), data.get('idpToken').trim(), { room: data.get('room') })
    // Open the meeting with the link. To embed it instead, load https://<jitsi>/external_api.js and run
    //   const meeting = new URL(url)
    //   new JitsiMeetExternalAPI(meeting.host, { roomName: decodeURIComponent(meeting.pathname.slice(1)),
    //     jwt: meeting.searchParams.get('jwt'), parentNode: document.querySelector('#meeting') })
    window.location.assign(url)
  } catch (error) {
    output.textContent = error.status ? `Refused (${error.status}): ${error.message}` : `Could not reach the token service: ${error.message}`
  }
})
