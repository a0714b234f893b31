/**
 * openapi.yaml is generated from the route schemas and cannot drift: the committed file must equal
 * what `npm run openapi` writes, it must be a valid OpenAPI document, and the service serves the same.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Validator } from '@seriousme/openapi-schema-validator'
import t from 'tap'
import YAML from 'yaml'
import { openapiYaml } from '../src/openapi/document.js'
import { build, tempDir } from './helper.js'

const root = fileURLToPath(new URL('../', import.meta.url))
const committed = readFileSync(join(root, 'openapi.yaml'), 'utf8')

t.test('the committed openapi.yaml is what the code generates (else: npm run openapi)', async t => {
  t.equal(committed, await openapiYaml(), 'openapi.yaml is stale: run `npm run openapi` and commit the result')
})

t.test('npm run openapi writes that same file', async t => {
  const target = join(tempDir(), 'openapi.yaml')
  const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, 'scripts/openapi.ts', target], { cwd: root })
  t.equal(stdout, `openapi: wrote ${target}\n`)
  t.equal(readFileSync(target, 'utf8'), committed)
})

t.test('it is a valid OpenAPI 3.1 document describing POST /tokens and its bearer API key', async t => {
  const document = YAML.parse(committed)
  const validator = new Validator()
  const result = await validator.validate(document)
  t.same(result.errors, undefined)
  t.equal(result.valid, true)

  t.same(document.components.securitySchemes.apiKey, { type: 'http', scheme: 'bearer', description: document.components.securitySchemes.apiKey.description })
  const post = document.paths['/tokens'].post
  t.same(post.security, [{ apiKey: [] }])
  t.ok(post.requestBody.content['application/json'].schema.properties.room)
  t.same(Object.keys(post.responses).sort(), ['201', '400', '401', '403', '413', '415', '429'])
  t.equal(post.responses['201'].description, 'Created')
  t.equal(post.responses['403'].description, 'Forbidden')
  t.same(Object.keys(post.responses['400'].content), ['application/problem+json'], 'problems documented as they are sent')
  t.match(document.paths['/metrics'].get.responses['200'].content, { 'text/plain': { schema: { type: 'string' } } })
  t.notOk(Object.keys(document.paths).some(path => path.startsWith('/docs') || path === '/openapi.json'), 'the docs themselves are not documented')
})

t.test('GET /openapi.json serves the same document', async t => {
  const { app } = await build(t)
  const res = await app.inject('/openapi.json')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json(), YAML.parse(committed))
})
