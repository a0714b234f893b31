#!/usr/bin/env node
// `npm test` runs this first (pretest). The tests use real programs, not stand-ins: redis-server
// (shared rate limits, started by the tests on a loopback port), Prosody (the live check over XMPP,
// likewise on loopback), Chromium (docs and login pages,
// at /usr/bin/chromium as test/support/browser.ts launches it) and docker-compose (checks the
// compose files with Compose's own parser). A missing one fails here with the command that
// installs it, instead of a spawn ENOENT half-way through the suite or a silent skip.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Debian package → how the tests find its program. */
const PREREQUISITES = [
  { pkg: 'redis-server', command: 'redis-server' },
  { pkg: 'chromium', path: '/usr/bin/chromium' },
  { pkg: 'docker-compose', command: 'docker-compose' },
  { pkg: 'prosody', command: 'prosody' }
]

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

const onPath = (command, path) => path.split(delimiter).filter(Boolean).some(dir => executable(join(dir, command)))

function missingPrerequisites () {
  return PREREQUISITES.filter(({ command, path }) => command ? !onPath(command, process.env.PATH ?? '') : !executable(path))
    .map(({ pkg }) => pkg)
}

const missing = missingPrerequisites()
if (missing.length > 0) {
  process.stderr.write([
    `npm test needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed (the tests use the real programs).`,
    'Install them first (Debian/Ubuntu, as root):',
    '',
    '  apt-get update && apt-get install -y redis-server chromium docker-compose prosody',
    '',
    'The tests start their own Prosody on loopback; the one Debian starts is not needed:',
    '',
    '  systemctl disable --now prosody',
    '',
    ''
  ].join('\n'))
  process.exit(1)
}
