import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', '.before-dist/**', 'coverage/**', '.tap/**', 'node_modules/**'] })
]
