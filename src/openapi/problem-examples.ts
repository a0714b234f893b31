/**
 * Problem bodies as POST /tokens really sends them, shown in /docs and openapi.yaml for each status
 * (test/openapi/problem-examples.test.ts sends the requests and compares): generic "Bad Request"
 * schemas do not tell a developer what to fix.
 */
const REQUEST_ID = '3f1c2a7e-5b9d-4e61-9a0c-2d8e7f6b1a45'

export const PROBLEM_EXAMPLES: Record<string, object> = {
  400: {
    type: 'about:blank',
    title: 'Bad Request',
    status: 400,
    requestId: REQUEST_ID,
    detail: 'The request has invalid fields; see errors.',
    errors: [
      { path: 'ttl', message: 'must be at most 86400; 3600000 looks like milliseconds: ttl is in seconds (3600 s)' },
      { path: 'context.features.screen-share', message: 'is not a known feature name: did you mean "screen-sharing"? The feature names are listed in docs/claims.md#contextfeatures' }
    ]
  },
  401: { type: 'about:blank', title: 'Unauthorized', status: 401, requestId: REQUEST_ID, detail: 'The API key is not valid.' },
  403: {
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
    requestId: REQUEST_ID,
    detail: 'The request asks for more than this client is granted; see errors.',
    errors: [
      { path: 'room', message: 'is not among the rooms granted to this client (course-*)' },
      { path: 'context.user.moderator', message: 'this client may not grant moderator rights: its grant has moderator: false (set grants.moderator: true in CLIENTS_FILE, or add the client with jitsi-token-service client add --moderator)' }
    ]
  },
  429: { type: 'about:blank', title: 'Too Many Requests', status: 429, requestId: REQUEST_ID, detail: 'Rate limit exceeded, retry in 1 minute' }
}
