/** Role every user has. */
export const CUSTOMER_ROLE = 'customer';
/** Role of the configured administrators. */
export const ADMIN_ROLE = 'admin';

/**
 * Roles granted at signup: `customer`, plus `admin` when the e-mail is one of `adminEmails`
 * (compared case-insensitively).
 *
 * @example
 * ```ts
 * rolesFor('Root@Quanta.local', ['root@quanta.local']); // ['customer', 'admin']
 * ```
 */
export function rolesFor(email: string, adminEmails: readonly string[]): string[] {
  const normalized = email.trim().toLowerCase();
  const isAdmin = adminEmails.some((a) => a.trim().toLowerCase() === normalized);
  return isAdmin ? [CUSTOMER_ROLE, ADMIN_ROLE] : [CUSTOMER_ROLE];
}
