/**
 * The production build runs the server as a bundle (scripts/server-bundle.mjs). It is built here into
 * a copy of the image's layout (package.json beside dist/, node_modules found above it) and started
 * with plain node: it must issue tokens and find everything our modules look for beside their compiled
 * selves (the console's browser bundle, package.json for the API document) and everything left outside
 * the bundle (the docs page's files, the doctor's lazily loaded checks). Its configuration validator
 * is compiled at build time: it must judge the environment exactly as the source's does.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { bundleServer } from '../../scripts/server-bundle.mjs'
import { bundleConsole } from '../../scripts/console-bundle.mjs'
import { spawnServer, startDevelopmentServer } from '../support/server-process.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

let dist: string | undefined

/** Built once, into a copy of the image's layout; removed when the file's tests are done. */
async function bundled (): Promise<string> {
  if (dist) return dist
  // Deep enough that a path resolved from the bundle's own place instead of its module's finds nothing.
  const image = join(root, 'test-output', 'bundles', `server-${process.pid}`)
  dist = join(image, 'dist')
  mkdirSync(join(dist, 'console'), { recursive: true })
  t.teardown(() => rmSync(image, { recursive: true, force: true }))
  copyFileSync(join(root, 'package.json'), join(image, 'package.json'))
  await bundleServer(dist)
  await bundleConsole(join(dist, 'console', 'doctor-page.bundle.js'))
  return dist
}

t.test('the bundled server starts, issues tokens and serves its lazily loaded parts', async t => {
  const dist = await bundled()
  const scripts = readdirSync(dist).filter(name => name.endsWith('.js'))
  t.ok(scripts.length < 40, `a few files instead of hundreds (${scripts.length})`)

  const { server, origin, apiKey } = await startDevelopmentServer({}, [join(dist, 'server.js')])
  t.teardown(() => { server.child.kill('SIGKILL') })

  const issued = await fetch(`${origin}/tokens`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ room: 'Bundle Check' }) })
  t.equal(issued.status, 201)
  const { token, url } = await issued.json() as { token: string, url: string }
  t.equal(token.split('.').length, 3)
  t.match(url, /^https?:\/\/[^/]+\/.+jwt=/)
  t.equal(issued.headers.get('x-content-type-options'), 'nosniff', 'the pipeline\'s headers')

  const document = await fetch(`${origin}/openapi.json`)
  t.equal(document.status, 200)
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  t.equal((await document.json() as { info: { version: string } }).info.version, version, 'package.json found from the bundle')
  const docs = await fetch(`${origin}/docs/`)
  t.equal(docs.status, 200, 'the docs page, served from node_modules')

  const page = await fetch(`${origin}/doctor/app.js`)
  t.equal(page.status, 200)
  t.ok((await page.text()).length > 1000, 'the console bundle found beside dist/console')

  const verified = await fetch(`${origin}/tokens/verify`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ token }) })
  t.equal(verified.status, 200, 'the doctor, loaded on first use')
  t.equal(server.stderr(), '')
})

t.test('the build-time configuration validator refuses what the source refuses, with the same words', async t => {
  const dist = await bundled()
  const env = { PORT: 'x', RATE_LIMIT_MAX: '-3', TRUST_PROXY: 'yes please', NODE_ENV: 'production' }
  const fromBundle = spawnServer(env, [join(dist, 'server.js')])
  const fromSource = spawnServer(env)
  t.same((await fromBundle.exited).code, 1)
  t.same((await fromSource.exited).code, 1)
  t.match(fromBundle.stderr(), /PORT must be a whole number \(given: "x"\)/)
  t.equal(fromBundle.stderr(), fromSource.stderr())
})
