// The typical hand-written Jitsi token endpoint: Express, express.json(), jsonwebtoken HS256 with a
// string secret, no authentication, no validation, no logging.
import express from 'express'
import jwt from 'jsonwebtoken'

const secret = process.env.JWT_APP_SECRET
const appId = process.env.JWT_APP_ID
const publicUrl = process.env.PUBLIC_URL

const app = express()
app.use(express.json())
app.get('/health', (req, res) => { res.json({ status: 'ok' }) })
app.post('/tokens', (req, res) => {
  const { room, tenant, context } = req.body
  const now = Math.floor(Date.now() / 1000)
  const exp = now + (req.body.ttl ?? 3600)
  const token = jwt.sign({
    aud: 'jitsi', iss: appId, sub: tenant ?? 'meet.jitsi', room: room.toLowerCase(), context, nbf: now - 30, exp
  }, secret, { algorithm: 'HS256' })
  const path = tenant ? `${tenant}/${encodeURIComponent(room)}` : encodeURIComponent(room)
  res.status(201).json({ token, url: `${publicUrl}/${path}?jwt=${token}`, room, expiresAt: new Date(exp * 1000).toISOString() })
})

app.listen(Number(process.env.PORT), '127.0.0.1')
