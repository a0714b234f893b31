/**
 * The Dockerfile and .dockerignore cannot be built here (no Docker engine), so they are parsed and
 * checked against what the image must do. Each check is also run on a broken variant to prove it bites.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../../', import.meta.url))
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8')

interface Instruction { keyword: string, args: string }
interface Stage { image: string, name?: string, instructions: Instruction[] }

/** Dockerfile → stages of instructions (continuation lines joined, comments dropped). */
function parseDockerfile (text: string): Stage[] {
  const logical: string[] = []
  let pending = ''
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' '
      continue
    }
    logical.push(pending + line)
    pending = ''
  }
  const stages: Stage[] = []
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? []
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim() }
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter(word => !word.startsWith('--'))
      const as = words.findIndex(word => word.toUpperCase() === 'AS')
      stages.push({ image: words[0] ?? '', name: as > 0 ? words[as + 1] : undefined, instructions: [] })
    } else {
      stages.at(-1)?.instructions.push(instruction)
    }
  }
  return stages
}

const ofKind = (stage: Stage, keyword: string) => stage.instructions.filter(i => i.keyword === keyword)

/** `ENV A=1 B=2` and `ENV A 1` → entries, in order. */
function envEntries (stage: Stage): Array<[string, string]> {
  return ofKind(stage, 'ENV').flatMap(({ args }): Array<[string, string]> => {
    if (!/^\S+=/.test(args)) {
      const [name = '', ...rest] = args.split(/\s+/)
      return [[name, rest.join(' ')]]
    }
    return [...args.matchAll(/(\w+)=("[^"]*"|\S*)/g)].map(m => [m[1] ?? '', (m[2] ?? '').replace(/^"|"$/g, '')])
  })
}

function execForm (args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args)
    return Array.isArray(parsed) && parsed.every(item => typeof item === 'string') ? parsed : undefined
  } catch {
    return undefined
  }
}

/** Strips `--flag=value` options from COPY arguments and returns [sources, destination]. */
function copyPaths (args: string): { from?: string, sources: string[] } {
  const words = args.split(/\s+/)
  const from = words.find(word => word.startsWith('--from='))?.slice('--from='.length)
  const paths = words.filter(word => !word.startsWith('--'))
  return { from, sources: paths.slice(0, -1) }
}

const NODE_LTS = /^node:(22|24)(?:[.-][\w.-]*)?(?:@sha256:[0-9a-f]{64})?$/

/** Everything the image must satisfy; an empty list means the Dockerfile is fine. */
function dockerfileProblems (text: string): string[] {
  const problems: string[] = []
  const stages = parseDockerfile(text)
  const final = stages.at(-1)
  if (stages.length < 2 || !final) return ['needs a build stage and a runtime stage']

  for (const stage of stages) {
    if (!NODE_LTS.test(stage.image)) problems.push(`stage ${stage.name ?? stage.image} is not based on node 22 or 24: ${stage.image}`)
  }

  const build = stages.slice(0, -1)
  const buildRuns = build.flatMap(stage => ofKind(stage, 'RUN').map(i => i.args))
  if (!buildRuns.some(run => /\bnpm ci\b/.test(run) && !/--omit=dev/.test(run))) problems.push('build stage does not run a full npm ci')
  if (!buildRuns.some(run => /\bnpm run build\b/.test(run))) problems.push('build stage does not run npm run build')
  const buildCopies = build.flatMap(stage => ofKind(stage, 'COPY').flatMap(i => copyPaths(i.args).sources))
  const buildConfig: unknown = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'))
  const needed = ['src', 'tsconfig.build.json', (buildConfig as { extends?: string }).extends?.replace(/^\.\//, '')]
  for (const file of needed) {
    if (file && !buildCopies.some(source => source.replace(/^\.\//, '').replace(/\/$/, '') === file)) {
      problems.push(`build stage does not copy ${file}, which npm run build needs`)
    }
  }

  const finalRuns = ofKind(final, 'RUN').map(i => i.args)
  const install = finalRuns.findIndex(run => /\bnpm ci\b.*--omit=dev/.test(run))
  if (install < 0) problems.push('final stage does not run npm ci --omit=dev')
  if (finalRuns.some(run => /\bnpm (install|i|run build)\b/.test(run))) problems.push('final stage installs or builds beyond npm ci --omit=dev')
  const env = new Map(envEntries(final))
  if (env.get('NODE_ENV') !== 'production') problems.push('final stage does not set NODE_ENV=production')
  if (env.get('HOST') !== '0.0.0.0') problems.push('final stage does not set HOST=0.0.0.0')

  for (const { args } of ofKind(final, 'COPY')) {
    const { from, sources } = copyPaths(args)
    if (from !== undefined) {
      if (sources.some(source => !/(^|\/)dist\/?$/.test(source))) problems.push(`final stage copies more than dist/ from ${from}: ${sources.join(' ')}`)
    } else if (sources.some(source => !['package.json', 'package-lock.json'].includes(source.replace(/^\.\//, '')))) {
      problems.push(`final stage copies from the context: ${sources.join(' ')}`)
    }
  }
  if (!ofKind(final, 'COPY').some(i => copyPaths(i.args).from !== undefined)) problems.push('final stage copies nothing from the build stage')
  if (ofKind(final, 'ADD').length > 0) problems.push('final stage uses ADD')

  const user = ofKind(final, 'USER').at(-1)?.args.split(':')[0]
  if (user === undefined) problems.push('final stage has no USER (runs as root)')
  else if (user === 'root' || user === '0') problems.push(`final stage runs as ${user}`)

  if (!ofKind(final, 'EXPOSE').some(i => i.args.split(/\s+/).includes('3000') || i.args.split(/\s+/).includes('3000/tcp'))) problems.push('final stage does not EXPOSE 3000')

  const healthchecks = ofKind(final, 'HEALTHCHECK')
  const probe = execForm(healthchecks.at(-1)?.args.replace(/^(--\S+\s+)*CMD\s+/, '') ?? '')
  if (healthchecks.length !== 1) problems.push('final stage needs exactly one HEALTHCHECK')
  else if (probe?.[0] !== 'node' || !probe.includes('dist/healthcheck.js')) problems.push('HEALTHCHECK does not run node dist/healthcheck.js in exec form')
  const instructions = stages.flatMap(stage => stage.instructions.map(i => i.args))
  if (instructions.some(args => /\b(curl|wget)\b/.test(args))) problems.push('uses curl or wget')

  const cmd = ofKind(final, 'CMD').at(-1)
  if (JSON.stringify(execForm(cmd?.args ?? '')) !== JSON.stringify(['node', 'dist/server.js'])) problems.push('CMD is not ["node", "dist/server.js"] in exec form')
  if (ofKind(final, 'ENTRYPOINT').length > 0) problems.push('final stage sets an ENTRYPOINT in front of node')
  if (instructions.some(args => /\bnpm start\b/.test(args))) problems.push('relies on npm start')
  return problems
}

t.test('the Dockerfile builds a small, non-root, production image', async t => {
  t.same(dockerfileProblems(dockerfile), [])
  t.equal(parseDockerfile(dockerfile).at(-1)?.image, 'node:22-bookworm-slim', 'runtime on the Node 22 LTS slim image')
})

t.test('the HEALTHCHECK probe exists in src/ (compiled to dist/healthcheck.js)', async t => {
  t.ok(existsSync(join(root, 'src/healthcheck.ts')))
})

t.test('each check catches the mistake it is about', async t => {
  const broken: Array<[string, string, string | RegExp, RegExp]> = [
    ['node 20 runtime', 'FROM node:22-bookworm-slim AS runtime', 'FROM node:20-bookworm-slim AS runtime', /not based on node 22 or 24/],
    ['dev dependencies', 'npm ci --omit=dev', 'npm ci', /npm ci --omit=dev/],
    ['root user', 'USER node', 'USER root', /runs as root/],
    ['no user', 'USER node', '', /no USER/],
    ['curl probe', 'CMD ["node", "dist/healthcheck.js"]', 'CMD curl -f http://127.0.0.1:3000/health/ready', /HEALTHCHECK|curl/],
    ['shell-form CMD', 'CMD ["node", "dist/server.js"]', 'CMD node dist/server.js', /exec form/],
    ['npm start', 'CMD ["node", "dist/server.js"]', 'CMD ["npm", "start"]', /CMD is not/],
    ['whole app copied', 'COPY --from=build /app/dist ./dist', 'COPY --from=build /app ./', /more than dist/],
    ['sources copied', 'COPY package.json package-lock.json ./\nRUN npm ci --omit', 'COPY . ./\nRUN npm ci --omit', /copies from the context/],
    ['no production env', 'ENV NODE_ENV=production', 'ENV NODE_ENV=development', /NODE_ENV=production/],
    ['loopback only', 'ENV HOST=0.0.0.0', 'ENV HOST=127.0.0.1', /HOST=0.0.0.0/],
    ['no build', 'RUN npm run build', 'RUN true', /npm run build/],
    ['wrong port', 'EXPOSE 3000', 'EXPOSE 8080', /EXPOSE 3000/]
  ]
  for (const [what, from, to, expected] of broken) {
    const variant = dockerfile.replace(from, to as string)
    t.not(variant, dockerfile, `${what}: the variant differs from the Dockerfile`)
    t.match(dockerfileProblems(variant).join('\n'), expected, what)
  }
})

/** .dockerignore semantics: patterns match from the context root, `**` spans directories,
 * a match on a directory excludes everything below it, later `!` patterns re-include. */
function isIgnored (rules: string, path: string): boolean {
  const toRegExp = (pattern: string) => new RegExp('^' + pattern.replace(/^\/+/, '').replace(/\/+$/, '')
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\/|\*\*|\*|\?/g, token => ({ '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' })[token] ?? token) + '$')
  const candidates = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))
  let ignored = false
  for (const line of rules.split(/\r?\n/).map(l => l.trim())) {
    if (line === '' || line.startsWith('#')) continue
    const negated = line.startsWith('!')
    const pattern = toRegExp(negated ? line.slice(1) : line)
    if (candidates.some(candidate => pattern.test(candidate))) ignored = !negated
  }
  return ignored
}

t.test('.dockerignore keeps secrets and local state out of the build context', async t => {
  for (const path of ['node_modules/fastify/package.json', 'dist/server.js', '.env', '.env.production', 'config/.env',
    'server.pem', 'keys/private.pem', 'deploy/keys/jwt.pem', '.git/HEAD', 'coverage/lcov.info', '.tap/processinfo/x.json',
    'clients.json', 'config/clients.json', 'config/keys/meet-2026.pem', 'token-service.yml', 'test/deploy/compose.test.ts']) {
    t.ok(isIgnored(dockerignore, path), `${path} is excluded`)
  }
  for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/server.ts', 'src/healthcheck.ts', 'src/jitsi/claims.ts', 'src/config/env-schema.ts']) {
    t.notOk(isIgnored(dockerignore, path), `${path} is sent to the build`)
  }
})

t.test('the .dockerignore matcher is not vacuous', async t => {
  t.notOk(isIgnored('*.pem', 'keys/private.pem'), 'a root pattern does not reach into directories (Docker semantics)')
  t.ok(isIgnored('**/*.pem', 'keys/private.pem'))
  t.notOk(isIgnored('node_modules\n!node_modules', 'node_modules/x'), 'a later exception re-includes')
  t.notOk(isIgnored(dockerignore.replace(/^\*\*\/\*\.pem$/m, ''), 'keys2/private.pem'), 'without **/*.pem a nested key would be sent')
})
