/**
 * Container health probe (the image has no curl): GET /health/ready on the local port.
 * Exit 0 on 200, 1 on anything else, on a connection error, or after 2 s.
 * Docker's HEALTHCHECK runs it as `node dist/healthcheck.js`.
 */
import { request } from 'node:http'

const TIMEOUT_MS = 2000
// The image sets PORT; 3000 is the service's own default.
/* c8 ignore next */
const port = Number(process.env.PORT) || 3000

// A hard deadline for the whole probe, not only for an idle socket.
setTimeout(() => process.exit(1), TIMEOUT_MS).unref()

request({ host: '127.0.0.1', port, path: '/health/ready', agent: false }, (response) => {
  response.resume()
  process.exit(response.statusCode === 200 ? 0 : 1)
})
  .on('error', () => process.exit(1))
  .end()
