/**
 * Jitsi's own web-client code, taken from the npm registry at test time: the @jitsi/react-native-sdk
 * tarball ships react/features/base/util/uri.ts and base/jwt/constants.ts as the web client builds them.
 * It is fetched once with `npm pack` into node_modules/.cache/jitsi-sdk, checked against the pinned
 * integrity, and only the needed files are extracted and bundled with esbuild; later runs reuse the
 * bundle without touching the network. Nothing of Jitsi's code is committed.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { build, type Plugin } from 'esbuild'

export const SDK = '@jitsi/react-native-sdk'
/** Pinned: 13.2.0 (2026-09-29) carries send-private-message (PR #17838). */
export const SDK_VERSION = '13.2.0'
const INTEGRITY = 'sha512-J7itSoy85IScxeC4letOtoS33Sp0tH5hLYFHYtH+v3WQwLjganuWlFCjlDbL5ks9ebGhVNsCyCBdML9qC+SAWw=='

/** The files the bundle needs; strings.web.ts is what the web build resolves './strings' to. */
const FILES = ['react/features/base/util/uri.ts', 'react/features/base/util/strings.web.ts', 'react/features/base/jwt/constants.ts']

const root = fileURLToPath(new URL('../../', import.meta.url))
export const CACHE = join(root, 'node_modules', '.cache', 'jitsi-sdk', SDK_VERSION)
const BUNDLE = join(CACHE, 'jitsi-web-client.mjs')

export interface JitsiWebClient {
  getBackendSafeRoomName: (room?: string) => string | undefined
  parseURIString: (uri?: string) => { room?: string, tenant?: string } | undefined
  MEET_FEATURES: Record<string, string>
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

/** Every import the three files make that is not one of them: none of it is on the path we test. */
const stubOthers: Plugin = {
  name: 'stub-others',
  setup (esbuild) {
    esbuild.onResolve({ filter: /.*/ }, args => {
      if (args.kind === 'entry-point') return undefined
      const local = args.path.startsWith('.') ? ['.web.ts', '.ts'].map(ext => join(args.resolveDir, args.path + ext)).find(existsSync) : undefined
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
  await run('tar', ['-xzf', tarball, '-C', sources, ...FILES.map(file => `package/${file}`)])
  rmSync(tarball)
  const features = join(sources, 'package', 'react', 'features', 'base')
  const partial = `${BUNDLE}.${process.pid}`
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
  renameSync(partial, BUNDLE)
}

/** Jitsi's functions, from the cache or fetched; rejects with a message saying why when the package cannot be had. */
export async function jitsiWebClient (): Promise<JitsiWebClient> {
  if (!existsSync(BUNDLE)) await bundle()
  return await import(pathToFileURL(BUNDLE).href) as JitsiWebClient
}
