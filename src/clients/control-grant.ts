/**
 * May this caller control this room? The control grant names the action; the room and tenant are
 * checked exactly as POST /tokens checks them, on the names as emitted, so a client limited to
 * `course-*` cannot reach `Staff Meeting` by another spelling. Pure; the route refuses with 403.
 */
import type { FieldProblem } from '../schemas/problem.js'
import type { Caller } from './caller.js'
import { roomGrantProblem, tenantGrantProblem, type ControlAction } from './grants.js'

const HOW_TO_GRANT = 'add it to grants.control in CLIENTS_FILE'

export function controlGrantProblems (action: ControlAction, room: string, tenant: string | undefined, caller: Caller): FieldProblem[] {
  const { grants } = caller
  const problems: FieldProblem[] = []
  if (!(grants.control ?? []).includes(action)) {
    problems.push({ path: 'control', message: `"${action}" is not granted to this client (${HOW_TO_GRANT})` })
  }
  const roomProblem = roomGrantProblem(room, grants)
  if (roomProblem) problems.push(roomProblem)
  const tenantProblem = tenantGrantProblem(tenant, grants)
  if (tenantProblem) problems.push(tenantProblem)
  return problems
}
