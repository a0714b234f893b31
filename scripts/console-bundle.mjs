// The browser bundle of the /doctor page (src/console/doctor-page.ts): built by `npm run build` into
// dist/console/, and on the first request when the service runs from src/ (tests, npm run dev).
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

export const CONSOLE_ENTRY = fileURLToPath(new URL('../src/console/doctor-page.ts', import.meta.url))

/** @param {string | undefined} outfile write there; undefined: return the code. */
export async function bundleConsole (outfile) {
  const result = await build({
    entryPoints: [CONSOLE_ENTRY],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    write: outfile !== undefined,
    ...(outfile === undefined ? { outdir: 'out' } : { outfile })
  })
  return outfile === undefined ? result.outputFiles[0].text : undefined
}

/* c8 ignore next 3 -- run by npm run build */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleConsole(fileURLToPath(new URL('../dist/console/doctor-page.bundle.js', import.meta.url)))
}
