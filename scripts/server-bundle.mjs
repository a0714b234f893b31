// The production server as one ES module (plus a chunk per lazily loaded part: login, OIDC, the
// docs, Redis, the doctor), so start-up resolves and compiles a few files instead of ~760. Written by
// `npm run build` over the compiler's dist/server.js; the rest of dist/ (the CLI, the health probe)
// stays module by module. Only whitespace is minified (3 MB less resident code): the code and its
// function names stay as written, for stack traces and profiles; the source map points into src/
// (node --enable-source-maps).
import { build } from 'esbuild'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SRC = ROOT + 'src/'
export const SERVER_OUTDIR = ROOT + 'dist/'

/**
 * Our modules find files next to their compiled selves (the console bundle beside dist/console/…,
 * package.json three levels up from dist/plugins/external/…): inside the bundle each keeps the
 * import.meta.url of its place in dist/, so those paths still hold.
 */
const distLocations = {
  name: 'dist-locations',
  setup (bundle) {
    bundle.onLoad({ filter: /\/src\/.*\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8')
      // Every output file sits in the output directory itself (chunkNames below), so this is its path from there.
      const compiled = './' + relative(SRC, path).replace(/\.ts$/, '.js')
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(compiled)}, import.meta.url).href`), loader: 'ts', resolveDir: dirname(path) }
    })
  }
}

const ENV_VALIDATOR = SRC + 'config/env-validator.ts'

/**
 * The configuration's validator, compiled now instead of at every start: src/config/env-validator.ts
 * is loaded (bundled on its own, dependencies from node_modules), its options and schema handed to
 * Ajv's standalone code generator, and the module replaced in the bundle by the generated code.
 */
async function precompiledEnvValidator () {
  const work = await mkdtemp(join(ROOT, 'node_modules', '.env-validator-'))
  try {
    const loader = join(work, 'env-validator.mjs')
    await build({ entryPoints: [ENV_VALIDATOR], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: loader, logLevel: 'warning' })
    const { ENV_AJV_OPTIONS, ENV_VALIDATION_SCHEMA } = await import(pathToFileURL(loader).href)
    const { Ajv } = await import('ajv')
    const { default: standaloneCode } = await import('ajv/dist/standalone/index.js')
    const ajv = new Ajv({ ...ENV_AJV_OPTIONS, code: { source: true, esm: true } })
    const generated = standaloneCode(ajv, ajv.compile(ENV_VALIDATION_SCHEMA))
    return `${generated}\nexport function envValidator () { return validate }\n`
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

const precompiledValidators = {
  name: 'precompiled-validators',
  setup (bundle) {
    bundle.onLoad({ filter: /\/src\/config\/env-validator\.ts$/ }, async ({ path }) => ({
      contents: await precompiledEnvValidator(), loader: 'js', resolveDir: dirname(path)
    }))
  }
}

// CommonJS dependencies call require() for Node's built-ins; an ES module has no require of its own.
const COMMONJS_SHIMS = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  'const require = __bundleCreateRequire(import.meta.url);'
].join('\n')

/** @param {string} outdir dist/, or a copy of its layout (the test builds one beside a package.json). */
export async function bundleServer (outdir = SERVER_OUTDIR) {
  // Chunk names carry a content hash: the previous build's chunks would otherwise pile up beside these.
  await mkdir(outdir, { recursive: true })
  const previous = (await readdir(outdir)).filter(name => /^server-.+\.js(\.map)?$/.test(name))
  await Promise.all(previous.map(name => rm(join(outdir, name))))
  await build({
    entryPoints: { server: SRC + 'server.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    outdir,
    // Every output in the output directory itself: the import.meta.url rewriting above is relative to it.
    chunkNames: 'server-[name]-[hash]',
    sourcemap: true,
    minifyWhitespace: true,
    banner: { js: COMMONJS_SHIMS },
    // Read from node_modules at run time, on first use: they serve files that sit beside their code
    // (the docs page), are loaded only when configured (Redis), or only when running from src/ (esbuild
    // builds the console's browser bundle then; dist/ has it prebuilt).
    external: ['@fastify/swagger', '@fastify/swagger-ui', 'ioredis', 'esbuild'],
    // First match wins: the validator's module is replaced before its source would be read.
    plugins: [precompiledValidators, distLocations],
    logLevel: 'warning'
  })
}

/* c8 ignore next 3 -- run by npm run build */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleServer()
}
