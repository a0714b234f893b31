/**
 * Writes what init planned: the files, then .env (backed up first); new files written aside and renamed (no
 * half-written file is ever read); the service's directory owned by the image's user (uid 1000) when
 * init runs as root. A directory it cannot write is an InitWriteError with the command that fixes it.
 */
import { chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { applyEnvChanges } from './env-file.js'
import type { InitPlan } from './init-plan.js'

/** The Dockerfile's USER node. */
export const IMAGE_UID = 1000

export class InitWriteError extends Error {}

export interface Applied {
  backup?: string
  /** Set when the service's directory could not be given to the image's user. */
  ownershipNote?: string
}

function writeAtomically (path: string, content: string, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  writeFileSync(temp, content, { mode })
  chmodSync(temp, mode)
  renameSync(temp, path)
}

function guarded (path: string, action: () => void): void {
  try {
    action()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw error
    const dir = dirname(path)
    throw new InitWriteError(`cannot write ${path} (${code}): run sudo chown -R "$(id -u)" ${dir} (or init with sudo), then again`)
  }
}

export interface Writer {
  /** Who runs init (process.getuid()): root can hand the files to the image's user. */
  uid: number
  chown: (path: string, uid: number, gid: number) => void
}

// POSIX only (getuid), like docker-jitsi-meet itself.
export function applyPlan (plan: InitPlan, writer: Writer = { uid: process.getuid!(), chown: chownSync }, now: Date = new Date()): Applied {
  const { uid } = writer
  const applied: Applied = {}
  // Files first: if one cannot be written, .env is still as it was and a second run starts over.
  for (const file of plan.files) {
    guarded(file.path, () => {
      mkdirSync(dirname(file.path), { recursive: true })
      writeAtomically(file.path, file.content, file.mode)
    })
  }
  if (plan.envChanges.length > 0) {
    const before = readFileSync(plan.envPath, 'utf8')
    const backup = `${plan.envPath}.bak-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`
    guarded(backup, () => {
      copyFileSync(plan.envPath, backup)
      chmodSync(backup, statSync(plan.envPath).mode & 0o777)
    })
    guarded(plan.envPath, () => writeAtomically(plan.envPath, applyEnvChanges(before, plan.envChanges), statSync(plan.envPath).mode & 0o777))
    applied.backup = backup
  }
  if (plan.files.some(file => file.path.startsWith(plan.serviceDir))) {
    if (uid === 0) {
      for (const path of [plan.serviceDir, ...plan.files.filter(file => file.path.startsWith(plan.serviceDir)).map(file => file.path)]) writer.chown(path, IMAGE_UID, IMAGE_UID)
    } else if (uid !== IMAGE_UID) {
      applied.ownershipNote = `the container runs as uid ${IMAGE_UID}: run sudo chown -R ${IMAGE_UID}:${IMAGE_UID} ${plan.serviceDir}`
    }
  }
  return applied
}
