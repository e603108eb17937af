import {
  changePasswordRequestSchema,
  getUserRequestSchema,
  loginRequestSchema,
  refreshRequestSchema,
  setRolesRequestSchema,
  signupRequestSchema,
} from '@quanta/contracts/identity';
import { emptyResponse, jsonResponse } from '@quanta/runtime/http';
import { type HttpRequest, parseInput, type RouteHandlers } from '@quanta/runtime/http/router';
import type { AttemptOrigin } from '../service/AttemptLimits';
import type { IdentityService } from '../service/IdentityService';
import type { RoleAdministration } from '../service/RoleAdministration';
import type { UserProfiles } from '../service/UserProfiles';

/** How long clients and the platform authorizer may cache the JWKS. */
const JWKS_CACHE_CONTROL = 'public, max-age=300';

/** The services identity's routes call. */
interface IdentityServices {
  readonly service: IdentityService;
  readonly profiles: UserProfiles;
  readonly roles: RoleAdministration;
}

/**
 * identity's routes (one per manifest route): parse the input with the contract's schema, call the
 * service, shape the response. Nothing else lives here.
 *
 * @example
 * ```ts
 * const router = createRouter(manifest.routes ?? [], routes({ service, profiles, roles }));
 * ```
 */
export function routes({ service, profiles, roles }: IdentityServices): RouteHandlers {
  return {
    'POST /identity/signup': async (req) =>
      jsonResponse(201, await service.signup(req.parseBody(signupRequestSchema), originOf(req))),
    'POST /identity/login': async (req) =>
      jsonResponse(200, await service.login(req.parseBody(loginRequestSchema), originOf(req))),
    'POST /identity/refresh': async (req) =>
      jsonResponse(200, await service.refresh(req.parseBody(refreshRequestSchema).refreshToken, req)),
    'POST /identity/logout': async (req) => {
      await service.logout(req.requireCaller(), req);
      return emptyResponse(204);
    },
    'POST /identity/logout-all': async (req) => {
      await service.logoutAll(req.requireCaller(), req);
      return emptyResponse(204);
    },
    'POST /identity/password': async (req) => {
      await service.changePassword(
        req.requireCaller(),
        req.parseBody(changePasswordRequestSchema),
        originOf(req),
      );
      return emptyResponse(204);
    },
    'PUT /identity/users/{userId}/roles': async (req) => {
      const { userId } = parseInput(getUserRequestSchema, req.pathParameters, 'path');
      const { roles: requested } = req.parseBody(setRolesRequestSchema);
      const origin = { correlationId: req.correlationId, changedBy: req.requireCaller().userId };
      return jsonResponse(200, await roles.setRoles(userId, requested, origin));
    },
    'GET /identity/me': async (req) => jsonResponse(200, await profiles.get(req.requireCaller().userId)),
    'GET /identity/.well-known/jwks.json': async () =>
      jsonResponse(200, await service.jwks(), { 'cache-control': JWKS_CACHE_CONTROL }),
  };
}

/** The request's correlation id and the client's address, as API Gateway saw it (never a header). */
function originOf(req: HttpRequest): AttemptOrigin {
  return { correlationId: req.correlationId, sourceIp: req.event.requestContext.http.sourceIp };
}
