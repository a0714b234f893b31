/**
 * `npm run openapi`: rewrites openapi.yaml (or the path given) from the route schemas.
 * test/openapi.test.ts fails when the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openapiYaml } from '../src/openapi/document.js'

const target = process.argv[2] ?? fileURLToPath(new URL('../openapi.yaml', import.meta.url))
writeFileSync(target, await openapiYaml())
process.stdout.write(`openapi: wrote ${target}\n`)
