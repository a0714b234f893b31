/** Who is asking for a token: an API client from CLIENTS_FILE, or a person with an identity-provider token. */
import type { IdpIdentity } from '../oidc/identity.js'
import type { Grants } from './grants.js'

export interface Caller {
  /** Client id, written on every audit line. */
  id: string
  kind: 'api-key' | 'oidc'
  grants: Grants
  /** OIDC callers: the person from the identity-provider token (plugins/oidc-auth.ts). */
  identity?: IdpIdentity
}
