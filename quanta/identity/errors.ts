import { QuantaError, type QuantaErrorOptions } from '@quanta/runtime/errors';

/**
 * Base of identity's errors. Each carries its HTTP status and code; the runtime's error middleware
 * is the only place that turns them into responses.
 */
export class IdentityError extends QuantaError {}

/**
 * 409 `EMAIL_TAKEN`: another account already uses the e-mail address.
 *
 * @example
 * ```ts
 * throw new EmailTakenError('ada@example.com');
 * ```
 */
export class EmailTakenError extends IdentityError {
  constructor(email: string, options: QuantaErrorOptions = {}) {
    super(`E-mail ${email} is already registered`, { ...options, status: 409, code: 'EMAIL_TAKEN' });
  }
}

/**
 * 401 `INVALID_CREDENTIALS`: unknown e-mail or wrong password (deliberately indistinguishable).
 *
 * @example
 * ```ts
 * throw new InvalidCredentialsError();
 * ```
 */
export class InvalidCredentialsError extends IdentityError {
  constructor(options: QuantaErrorOptions = {}) {
    super('Invalid e-mail or password', { ...options, status: 401, code: 'INVALID_CREDENTIALS' });
  }
}

/**
 * 401 `INVALID_REFRESH_TOKEN`: unknown, expired, already used (reuse) or revoked refresh token.
 * One answer for all cases, so the response tells an attacker nothing.
 *
 * @example
 * ```ts
 * throw new InvalidRefreshTokenError();
 * ```
 */
export class InvalidRefreshTokenError extends IdentityError {
  constructor(options: QuantaErrorOptions = {}) {
    super('Refresh token is invalid, expired or revoked; log in again', {
      ...options,
      status: 401,
      code: 'INVALID_REFRESH_TOKEN',
    });
  }
}

/**
 * 404 `USER_NOT_FOUND`.
 *
 * @example
 * ```ts
 * throw new UserNotFoundError('0b6f…');
 * ```
 */
export class UserNotFoundError extends IdentityError {
  constructor(userId: string, options: QuantaErrorOptions = {}) {
    super(`User ${userId} not found`, { ...options, status: 404, code: 'USER_NOT_FOUND' });
  }
}

/**
 * 403 `INVALID_CURRENT_PASSWORD`: a password change gave a wrong current password. Not a 401: the
 * caller's access token is fine, and a client must not take this for a logged-out session.
 *
 * @example
 * ```ts
 * throw new InvalidCurrentPasswordError();
 * ```
 */
export class InvalidCurrentPasswordError extends IdentityError {
  constructor(options: QuantaErrorOptions = {}) {
    super('The current password is wrong', { ...options, status: 403, code: 'INVALID_CURRENT_PASSWORD' });
  }
}

/**
 * 409 `CONCURRENT_CHANGE`: the user's password or roles changed while this request was changing them;
 * read them again and retry.
 *
 * @example
 * ```ts
 * throw new ConcurrentChangeError('Roles of user 0b6f… kept changing concurrently');
 * ```
 */
export class ConcurrentChangeError extends IdentityError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { ...options, status: 409, code: 'CONCURRENT_CHANGE' });
  }
}

/**
 * 500 `SIGNING_KEY_UNAVAILABLE`: the signing key ring is misconfigured or KMS failed.
 *
 * @example
 * ```ts
 * throw new SigningKeyError('KMS returned no signature for key arn:…', { cause });
 * ```
 */
export class SigningKeyError extends IdentityError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { ...options, status: 500, code: 'SIGNING_KEY_UNAVAILABLE' });
  }
}

/**
 * 500 `PASSWORD_HASH_INVALID`: a stored password hash cannot be parsed (or asks for unsafe parameters).
 *
 * @example
 * ```ts
 * throw new PasswordHashFormatError('Unknown hash scheme "md5"');
 * ```
 */
export class PasswordHashFormatError extends IdentityError {
  constructor(message: string, options: QuantaErrorOptions = {}) {
    super(message, { ...options, status: 500, code: 'PASSWORD_HASH_INVALID' });
  }
}
