import { z } from 'zod';

/** Facade operation `GetUser` (synchronous, IAM-signed). */
export const getUserRequestSchema = z.strictObject({ userId: z.string().min(1).max(64) });
export type GetUserRequest = z.infer<typeof getUserRequestSchema>;

export const getUserResponseSchema = z.object({
  userId: z.string(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
});
export type GetUserResponse = z.infer<typeof getUserResponseSchema>;
