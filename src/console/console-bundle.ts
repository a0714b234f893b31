/**
 * The /doctor page's script: the file `npm run build` bundled (dist/console/doctor-page.bundle.js), or,
 * when the service runs from src/ (tests, npm run dev), bundled once on first use with the same options.
 * Nothing is read or built before someone opens the page.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

let bundle: Promise<string> | undefined

export function consoleBundle (prebuilt = fileURLToPath(new URL('./doctor-page.bundle.js', import.meta.url))): Promise<string> {
  bundle ??= readFile(prebuilt, 'utf8').catch(async () => {
    const { bundleConsole } = await import(new URL('../../scripts/console-bundle.mjs', import.meta.url).href) as { bundleConsole: () => Promise<string> }
    return bundleConsole()
  })
  return bundle
}

/** For tests: forget the bundle, so the next call reads or builds it again. */
export function forgetConsoleBundle (): void {
  bundle = undefined
}
