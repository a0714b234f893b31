/**
 * Jitsi's own web-client code, taken from the npm registry at test time: the @jitsi/react-native-sdk
 * tarball ships react/features (base/util/uri.ts, base/jwt/constants.ts, …) as the web client builds them.
 * It is fetched once with `npm pack` into node_modules/.cache/jitsi-sdk, checked against the pinned
 * integrity; react/features is extracted, the pure functions bundled with esbuild and the web client's
 * feature defaults read from its calls, then the sources are removed; later runs reuse the bundle and
 * the scan without touching the network. Nothing of Jitsi's code is committed.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { build, type Plugin } from 'esbuild'

export const SDK = '@jitsi/react-native-sdk'
/** Pinned: 13.2.0 (2026-09-29) carries send-private-message (PR #17838). */
export const SDK_VERSION = '13.2.0'
const INTEGRITY = 'sha512-J7itSoy85IScxeC4letOtoS33Sp0tH5hLYFHYtH+v3WQwLjganuWlFCjlDbL5ks9ebGhVNsCyCBdML9qC+SAWw=='

const root = fileURLToPath(new URL('../../', import.meta.url))
export const CACHE = join(root, 'node_modules', '.cache', 'jitsi-sdk', SDK_VERSION)
const BUNDLE = join(CACHE, 'jitsi-web-client.mjs')

export interface JitsiWebClient {
  getBackendSafeRoomName: (room?: string) => string | undefined
  parseURIString: (uri?: string) => { room?: string, tenant?: string } | undefined
  MEET_FEATURES: Record<string, string>
  /** Every `ifNotInFeatures` the web client passes for a feature, as written in its source ("false", "isLocalParticipantModerator(state)"…). */
  featureDefaults: Record<string, string[]>
}

const DEFAULTS = join(CACHE, 'feature-defaults.json')

/** The defaults of every isJwtFeatureEnabled(state, MEET_FEATURES.X, default) and isJwtFeatureEnabledStateless({ feature, ifNotInFeatures }) call. */
function scanFeatureDefaults (dir: string, constants: Record<string, string>): Record<string, string[]> {
  const found: Record<string, Set<string>> = {}
  const add = (feature: string, value: string) => { (found[feature] ??= new Set()).add(value.replace(/\s+/g, ' ').trim()) }
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(file) || file.endsWith(join('base', 'jwt', 'functions.ts'))) continue
    const source = readFileSync(join(dir, file), 'utf8')
    for (const [, key, value] of source.matchAll(/isJwtFeatureEnabled\(\s*[^,]+,\s*MEET_FEATURES\.(\w+),\s*(\w+(?:\([^)]*\))?)/g)) add(constants[key!]!, value!)
    for (const [, feature, value] of source.matchAll(/isJwtFeatureEnabledStateless\(\{[^}]*feature:\s*'([\w-]+)',\s*ifNotInFeatures:\s*([^\s}]+)/g)) add(feature!, value!)
  }
  return Object.fromEntries(Object.entries(found).map(([feature, values]) => [feature, [...values].sort()]))
}

const run = promisify(execFile)

async function fetchTarball (): Promise<string> {
  let stdout: string
  try {
    ({ stdout } = await run('npm', ['pack', `${SDK}@${SDK_VERSION}`, '--pack-destination', CACHE, '--json', '--silent', '--fetch-retries=1'], { cwd: CACHE, timeout: 120_000 }))
  } catch (error) {
    throw new Error(`Cannot fetch ${SDK}@${SDK_VERSION} from the npm registry with npm pack, so the conformance tests cannot compare this service with Jitsi's own code: ${(error as Error).message.split('\n')[0]}`)
  }
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>
  const tarball = join(CACHE, packed!.filename)
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`
  if (integrity !== INTEGRITY) throw new Error(`${SDK}@${SDK_VERSION} from the registry has integrity ${integrity}, not the pinned ${INTEGRITY}`)
  return tarball
}

/** What the bundle takes from Jitsi; strings.web.ts is what the web build resolves './strings' to. */
const BUNDLED = [join('base', 'util', 'uri.ts'), join('base', 'util', 'strings.web.ts'), join('base', 'jwt', 'constants.ts')]

/** Every import of those files that is not one of them: none of it is on the path we test. */
const stubOthers: Plugin = {
  name: 'stub-others',
  setup (esbuild) {
    esbuild.onResolve({ filter: /.*/ }, args => {
      if (args.kind === 'entry-point') return undefined
      const local = args.path.startsWith('.') ? ['.web.ts', '.ts'].map(ext => join(args.resolveDir, args.path + ext)).find(file => BUNDLED.some(name => file.endsWith(name))) : undefined
      return local ? { path: local } : { path: args.path, namespace: 'stub' }
    })
    esbuild.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {}', loader: 'js' }))
  }
}

async function bundle (): Promise<void> {
  mkdirSync(CACHE, { recursive: true })
  const tarball = await fetchTarball()
  const sources = join(CACHE, 'src')
  rmSync(sources, { recursive: true, force: true })
  mkdirSync(sources)
  await run('tar', ['-xzf', tarball, '-C', sources, 'package/react/features'])
  rmSync(tarball)
  const features = join(sources, 'package', 'react', 'features', 'base')
  const partial = join(CACHE, `partial-${process.pid}.mjs`)
  await build({
    stdin: {
      contents: "export { getBackendSafeRoomName, parseURIString } from './util/uri'; export { MEET_FEATURES } from './jwt/constants'",
      resolveDir: features,
      loader: 'ts'
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: partial,
    logLevel: 'silent',
    plugins: [stubOthers]
  })
  const { MEET_FEATURES } = await import(pathToFileURL(partial).href) as JitsiWebClient
  writeFileSync(DEFAULTS, JSON.stringify(scanFeatureDefaults(join(sources, 'package', 'react', 'features'), MEET_FEATURES)))
  // Only the bundle and the scan stay in the cache.
  rmSync(sources, { recursive: true })
  renameSync(partial, BUNDLE)
}

/** Jitsi's functions, from the cache or fetched; rejects with a message saying why when the package cannot be had. */
export async function jitsiWebClient (): Promise<JitsiWebClient> {
  if (!existsSync(BUNDLE)) await bundle()
  const code = await import(pathToFileURL(BUNDLE).href) as Omit<JitsiWebClient, 'featureDefaults'>
  return { ...code, featureDefaults: JSON.parse(readFileSync(DEFAULTS, 'utf8')) }
}
