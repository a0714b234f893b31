/**
 * `npm run openapi`: rewrites openapi.yaml (the path given: `scripts/openapi.ts <file>`) from the route schemas.
 * test/openapi.test.ts fails when the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs'
import { openapiYaml } from '../src/openapi/document.js'

const target = process.argv[2]!
writeFileSync(target, await openapiYaml())
process.stdout.write(`openapi: wrote ${target}\n`)
