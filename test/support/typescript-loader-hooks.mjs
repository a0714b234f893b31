/** Module hooks for typescript-loader.mjs: `./x.js` imports resolve to `./x.ts`, and .ts is compiled by esbuild. */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

const target = `node${process.versions.node}`

/** True for a .ts file URL, also with a query (t.mockImport loads its copies as `x.ts?tapmock=…`). */
const isTypeScript = (url) => url?.startsWith('file:') && new URL(url).pathname.endsWith('.ts')

export async function resolve (specifier, context, nextResolve) {
  // NodeNext-style imports name the compiled file ('./app.js'); when only app.ts exists, that is the one
  // (t.mockImport asks for `file:///…/app.js?tapmock=…` the same way).
  if (specifier.endsWith('.js') || /\.js\?/.test(specifier)) {
    const relative = /^\.\.?\//.test(specifier) && context.parentURL?.startsWith('file:')
    if (relative || specifier.startsWith('file:')) {
      const url = new URL(specifier, context.parentURL)
      const source = new URL(url.pathname.replace(/\.js$/, '.ts') + url.search, url)
      if (!existsSync(url.pathname) && existsSync(source.pathname)) return nextResolve(source.href, context)
    }
  }
  return nextResolve(specifier, context)
}

export async function load (url, context, nextLoad) {
  if (!isTypeScript(url)) return nextLoad(url, context)
  const path = fileURLToPath(new URL(new URL(url).pathname, 'file:'))
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target,
    sourcemap: 'inline',
    sourcefile: path,
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } }
  })
  return { format: 'module', source: code, shortCircuit: true }
}
