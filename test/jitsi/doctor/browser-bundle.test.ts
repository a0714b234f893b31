/**
 * The doctor is one implementation for the CLI, the API and the browser (/doctor page): bundled for
 * the browser it must import no Node built-in and nothing of the service.
 */
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import t from 'tap'

const doctor = fileURLToPath(new URL('../../../src/jitsi/doctor/', import.meta.url))
const entries = ['diagnose.ts', 'meeting-link.ts', 'report-text.ts', 'service-defaults.ts'].map(file => doctor + file)
const NODE = new Set([...builtinModules, ...builtinModules.map(name => `node:${name}`)])

t.test('src/jitsi/doctor bundles for the browser without Node built-ins', async t => {
  const imported: string[] = []
  const result = await build({
    entryPoints: entries,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    outdir: 'out',
    logLevel: 'silent',
    metafile: true,
    plugins: [{
      name: 'record-imports',
      setup (build) {
        build.onResolve({ filter: /.*/ }, args => {
          imported.push(args.path)
          return undefined
        })
      }
    }]
  })
  t.same(imported.filter(name => NODE.has(name)), [], 'no Node built-in is imported')
  const inputs = Object.keys(result.metafile.inputs)
  t.same(inputs.filter(input => input.startsWith('src/') && !input.startsWith('src/jitsi/')), [], 'nothing outside src/jitsi/ (no Config, no Fastify)')
  t.ok(inputs.some(input => input.includes('@noble/hashes')), 'the hashes come from @noble/hashes')
})
