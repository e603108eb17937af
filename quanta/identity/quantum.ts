import { defineQuantum } from '@quanta/runtime/quantum';

/**
 * identity: users, credentials, sessions, signing keys. Issues ES256 access tokens and opaque,
 * rotating refresh tokens; publishes `UserRegistered` and `SessionRevoked` through its outbox.
 */
export default defineQuantum({
  name: 'identity',
  dir: import.meta.dirname,
  table: { ttlAttribute: 'expiresAt' },
  signingKey: true,
  functions: {
    // Password hashing (scrypt, N=2^17) needs ~128 MiB and CPU: 1024 MB buys a full vCPU share.
    api: { entry: 'functions/api.ts', memoryMb: 1024, timeoutSeconds: 10 },
    facade: { entry: 'functions/facade.ts', memoryMb: 256, timeoutSeconds: 5 },
    outboxRelay: { entry: 'functions/outboxRelay.ts', memoryMb: 256, timeoutSeconds: 30 },
  },
  routes: [
    { method: 'POST', path: '/identity/signup', access: 'public', maxBodyBytes: 4096 },
    { method: 'POST', path: '/identity/login', access: 'public', maxBodyBytes: 4096 },
    { method: 'POST', path: '/identity/refresh', access: 'public', maxBodyBytes: 4096 },
    { method: 'POST', path: '/identity/logout', access: 'authenticated', maxBodyBytes: 1024 },
    { method: 'GET', path: '/identity/me', access: 'authenticated' },
    { method: 'GET', path: '/identity/.well-known/jwks.json', access: 'public' },
  ],
  facade: [{ name: 'GetUser', callers: ['orders', 'chat'] }],
  publishes: ['UserRegistered', 'SessionRevoked'],
  outboxRelay: 'outboxRelay',
});
