import type { TokenPair } from '@quanta/contracts/identity';
import { expect } from 'vitest';
import type { HttpClient } from './HttpClient';

/** A signed-up, logged-in user. */
export interface TestUser {
  readonly email: string;
  readonly password: string;
  readonly userId: string;
  readonly tokens: TokenPair;
}

/** Signs up a fresh user (unique e-mail) and logs in, asserting both succeed. */
export async function signUpAndLogIn(api: HttpClient, name = 'user'): Promise<TestUser> {
  const email = `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const password = 'correct horse battery staple';
  const signup = await api.call<{ userId: string }>('POST', '/identity/signup', {
    body: { email, password, displayName: name },
  });
  expect(signup.status).toBe(201);
  const login = await api.call<TokenPair>('POST', '/identity/login', { body: { email, password } });
  expect(login.status).toBe(200);
  return { email, password, userId: signup.body.userId, tokens: login.body };
}
