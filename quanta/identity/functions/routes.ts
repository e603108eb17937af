import { loginRequestSchema, refreshRequestSchema, signupRequestSchema } from '@quanta/contracts/identity';
import { emptyResponse, jsonResponse } from '@quanta/runtime/http';
import type { RouteHandlers } from '@quanta/runtime/http/router';
import type { IdentityService } from '../service/IdentityService';
import type { UserProfiles } from '../service/UserProfiles';

/** How long clients and the platform authorizer may cache the JWKS. */
const JWKS_CACHE_CONTROL = 'public, max-age=300';

/**
 * identity's routes (one per manifest route): parse the input with the contract's schema, call the
 * service, shape the response. Nothing else lives here.
 *
 * @example
 * ```ts
 * const router = createRouter(manifest.routes ?? [], routes(service, new UserProfiles(users)));
 * ```
 */
export function routes(service: IdentityService, profiles: UserProfiles): RouteHandlers {
  return {
    'POST /identity/signup': async (req) =>
      jsonResponse(201, await service.signup(req.parseBody(signupRequestSchema), req)),
    'POST /identity/login': async (req) =>
      jsonResponse(200, await service.login(req.parseBody(loginRequestSchema))),
    'POST /identity/refresh': async (req) =>
      jsonResponse(200, await service.refresh(req.parseBody(refreshRequestSchema).refreshToken, req)),
    'POST /identity/logout': async (req) => {
      await service.logout(req.requireCaller(), req);
      return emptyResponse(204);
    },
    'GET /identity/me': async (req) => jsonResponse(200, await profiles.get(req.requireCaller().userId)),
    'GET /identity/.well-known/jwks.json': async () =>
      jsonResponse(200, await service.jwks(), { 'cache-control': JWKS_CACHE_CONTROL }),
  };
}
