import t from 'tap'
import { parseJitsiState } from '../../src/login/jitsi-state.js'

t.test('settings whose path has a __proto__, constructor or prototype segment never reach the link', async t => {
  const state = JSON.stringify({
    room: 'r',
    'config.prejoinConfig.enabled': false,
    'config.constructor.prototype.x': 1,
    'interfaceConfig.__proto__.y': 2,
    'config.a.prototype': 3,
    'config.toolbar.prototypes': 4
  })
  t.same(parseJitsiState({ state }).hash, { 'config.prejoinConfig.enabled': false, 'config.toolbar.prototypes': 4 })
})
