/** RFC 9457 problem details, the body of every error answer. */
import { Type, type Static } from '@sinclair/typebox'

export const FieldProblemSchema = Type.Object({
  path: Type.String({ description: 'Dotted path of the field, e.g. context.user.moderator' }),
  message: Type.String()
})

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  requestId: Type.String(),
  errors: Type.Optional(Type.Array(FieldProblemSchema))
}, { $id: 'Problem' })

export type Problem = Static<typeof ProblemSchema>
export type FieldProblem = Static<typeof FieldProblemSchema>
