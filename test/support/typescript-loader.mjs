/**
 * How the tests run TypeScript: `node --import=./test/support/typescript-loader.mjs` (tap's node-arg).
 *
 * tap's default loader (ts-node) costs about 1.3 s of CPU per test process before the first test, and
 * one more second to compile the app; tsx is faster but minifies whitespace, which makes V8 coverage
 * report unexecuted code as covered (privatenumber/tsx#433), so the 100% check would mean nothing.
 * This loader compiles each .ts file with esbuild, keeping its lines and an inline source map, so
 * coverage maps back line by line exactly as before.
 */
import { register } from 'node:module'

register('./typescript-loader-hooks.mjs', import.meta.url)
