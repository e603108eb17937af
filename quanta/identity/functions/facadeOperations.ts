import { getUserRequestSchema, getUserResponseSchema } from '@quanta/contracts/identity';
import type { FacadeHandler } from '@quanta/runtime/http/router';
import type { UserProfiles } from '../service/UserProfiles';

/**
 * identity's facade operations (one per manifest operation), validated on both sides of the
 * contract: the request at the edge, the response before it leaves.
 *
 * @example
 * ```ts
 * const facade = createFacadeRouter(manifest.facade ?? [], facadeOperations(new UserProfiles(roles)));
 * ```
 */
export function facadeOperations(profiles: UserProfiles): Readonly<Record<string, FacadeHandler>> {
  return {
    GetUser: async (req) =>
      getUserResponseSchema.parse(await profiles.get(req.parseBody(getUserRequestSchema).userId)),
  };
}
