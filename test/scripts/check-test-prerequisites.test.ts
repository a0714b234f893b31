/**
 * `npm test` starts with scripts/check-test-prerequisites.js: on a machine without the programs the
 * tests use, it must fail with the install command, not let the suite die on spawn ENOENT.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { tempDir } from '../helper.js'

const script = fileURLToPath(new URL('../../scripts/check-test-prerequisites.js', import.meta.url))
const check = (path?: string) => spawnSync(process.execPath, [script], { env: path === undefined ? {} : { PATH: path }, encoding: 'utf8' })

t.test('a machine without redis-server, docker-compose and prosody is told what to install, and the run fails', async t => {
  const empty = tempDir()
  const result = check(empty)
  t.equal(result.status, 1)
  t.match(result.stderr, /npm test needs redis-server, docker-compose, prosody, which are not installed/)
  t.equal(check().status, 1, 'no PATH at all')
  t.match(result.stderr, /^ {2}apt-get update && apt-get install -y redis-server chromium docker-compose prosody$/m)
  t.match(result.stderr, /systemctl disable --now prosody/)
})

t.test('with the programs on PATH it passes silently', async t => {
  const bin = tempDir()
  for (const name of ['redis-server', 'docker-compose', 'prosody']) {
    writeFileSync(join(bin, name), '#!/bin/sh\n')
    chmodSync(join(bin, name), 0o755)
  }
  // A file that is there but not executable does not count.
  const result = check(`${bin}:/nonexistent`)
  t.equal(result.status, 0, result.stderr)
  t.equal(result.stderr, '')
  chmodSync(join(bin, 'docker-compose'), 0o644)
  t.match(check(bin).stderr, /needs docker-compose, which is not installed/)
})
