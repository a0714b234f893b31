/** The doctor's view of this service (src/jitsi/doctor/service-defaults.ts), read from its Config. */
import type { Config } from '../config.js'
import type { DoctorServiceSettings } from '../jitsi/doctor/service-defaults.js'

export function doctorSettings (config: Config): DoctorServiceSettings {
  return {
    appId: config.jwt.appId,
    algorithm: config.jwt.algorithm,
    xmppDomain: config.xmppDomain,
    publicUrl: config.publicUrl,
    ...(config.jwt.jaasAppId ? { jaasAppId: config.jwt.jaasAppId } : {}),
    ...(config.jwt.secret === undefined ? {} : { secret: config.jwt.secret })
  }
}
