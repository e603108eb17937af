import { z } from 'zod';

/**
 * What the platform authorizer hands every authenticated route under
 * `requestContext.authorizer.lambda`: the only source of a caller's identity.
 */
export const authorizerContextSchema = z.object({
  userId: z.string().min(1),
  sessionId: z.string().min(1),
  roles: z.array(z.string()),
});

export type AuthorizerContext = z.infer<typeof authorizerContextSchema>;
