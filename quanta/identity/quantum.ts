import { defineQuantum } from '@quanta/runtime/quantum';

/**
 * identity: users, credentials, role grants, sessions, signing keys. Issues ES256 access tokens and
 * opaque, rotating refresh tokens; limits password guessing and signups; publishes `UserRegistered`,
 * `SessionRevoked` and `RolesChanged` through its outbox.
 */
export default defineQuantum({
  name: 'identity',
  dir: import.meta.dirname,
  table: { ttlAttribute: 'expiresAt' },
  signingKey: true,
  functions: {
    // Password hashing (scrypt, N=2^17) needs ~128 MiB and CPU: 1024 MB buys a full vCPU share.
    api: {
      entry: 'functions/api.ts',
      memoryMb: 1024,
      timeoutSeconds: 10,
      // Each signup or login burns ~0.85 s of CPU: a flood of them may use these 50 environments and
      // no more, so it cannot take the account's concurrency from the other quanta (decision D46).
      reservedConcurrency: 50,
      // The abuse limits (decision D46). Override per deployment with `quanta:environment`, e.g.
      // `{"identity":{"SIGNUPS_PER_IP":"100"}}`; the end-to-end suite raises the per-IP ones.
      environment: {
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '10',
        LOGIN_LOCK_SECONDS: '60',
        LOGIN_LOCK_MAX_SECONDS: '900',
        LOGIN_ATTEMPTS_PER_IP: '100',
        LOGIN_IP_WINDOW_SECONDS: '300',
        SIGNUPS_PER_IP: '20',
        SIGNUP_IP_WINDOW_SECONDS: '3600',
      },
    },
    facade: { entry: 'functions/facade.ts', memoryMb: 256, timeoutSeconds: 5 },
    outboxRelay: { entry: 'functions/outboxRelay.ts', memoryMb: 256, timeoutSeconds: 30 },
  },
  routes: [
    { method: 'POST', path: '/identity/signup', access: 'public', maxBodyBytes: 4096 },
    { method: 'POST', path: '/identity/login', access: 'public', maxBodyBytes: 4096 },
    { method: 'POST', path: '/identity/refresh', access: 'public', maxBodyBytes: 4096 },
    { method: 'POST', path: '/identity/logout', access: 'authenticated', maxBodyBytes: 1024 },
    { method: 'GET', path: '/identity/me', access: 'authenticated' },
    { method: 'POST', path: '/identity/password', access: 'authenticated', maxBodyBytes: 1024 },
    { method: 'POST', path: '/identity/logout-all', access: 'authenticated', maxBodyBytes: 1024 },
    { method: 'PUT', path: '/identity/users/{userId}/roles', access: { role: 'admin' }, maxBodyBytes: 1024 },
    { method: 'GET', path: '/identity/.well-known/jwks.json', access: 'public' },
  ],
  facade: [{ name: 'GetUser', callers: ['orders', 'chat'] }],
  publishes: ['UserRegistered', 'SessionRevoked', 'RolesChanged'],
  outboxRelay: 'outboxRelay',
  metricAlarms: [
    {
      metric: 'LoginFailures',
      threshold: 50,
      description:
        'More than 50 failed password checks in 5 minutes: someone may be guessing passwords (the audit log lists them: "audit": "identity.login.failed")',
    },
    {
      metric: 'AccountLocks',
      threshold: 5,
      description:
        'More than 5 accounts locked after 10 failed logins in 5 minutes: a credential-stuffing attack is likely ("audit": "identity.login.locked")',
    },
  ],
});
