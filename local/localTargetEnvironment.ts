import type { JsonWebKey } from 'node:crypto';
import type { QuantumManifest } from '@quanta/runtime/manifest';
import { ENV, facadeUrlVar, namesOf, replyQueueUrlVar, requestQueueUrlVar } from '@quanta/runtime/manifest';
import { LocalWiringError } from './errors';
import type { TargetEnvironment } from './lambda/localFunctionsOf';

/** What the local cloud provisioned, from which each function's target variables are derived. */
export interface LocalWiring {
  /** The registered quanta's manifests. */
  readonly manifests: readonly QuantumManifest[];
  /** Resource name prefix. */
  readonly prefix: string;
  /** Base URL of the platform's HTTP API. */
  readonly httpUrl: string;
  /** URL of a provisioned queue by name, undefined when it was not created. */
  readonly queueUrlOf: (queueName: string) => string | undefined;
  /** Base URL of a quantum's facade stage (no trailing slash). */
  readonly facadeUrlOf: (quantum: string) => string;
  /** Generated signing keys (private JWKs, first = current) by quantum. */
  readonly signingKeys: ReadonlyMap<string, readonly JsonWebKey[]>;
  /** Generated 256-bit data keys, base64, by quantum. */
  readonly encryptionKeys: ReadonlyMap<string, string>;
}

/**
 * The local cloud's part of each function's environment, mirroring what the stacks bind:
 * - `SIGNING_KEYS_JWK` (local form of `SIGNING_KEY_ARNS`) and `ENCRYPTION_KEY_LOCAL` (local form of
 *   `ENCRYPTION_KEY_ARN`) on every function of a quantum holding such a key;
 * - `JWKS_URI` on the platform's authorizer;
 * - for a quantum that sends requests: `REPLY_QUEUE_URL` and `REQUEST_QUEUE_URL_<TARGET>` on every
 *   function (which one sends is not in the manifest);
 * - for a quantum that answers requests: `REPLY_QUEUE_URL_<SENDER>` on its request handler, per
 *   registered sender;
 * - for a quantum that calls facades: `FACADE_URL_<TARGET>` on every function, per registered
 *   target; a target none of whose operations admits the caller fails, as `cdk synth` does.
 *
 * @example
 * ```ts
 * const functions = localFunctionsOf(manifests, registry, localTargetEnvironment(wiring));
 * ```
 */
export function localTargetEnvironment(wiring: LocalWiring): TargetEnvironment {
  const byName = new Map(wiring.manifests.map((m) => [m.name, m]));
  for (const m of wiring.manifests) {
    for (const target of m.calls ?? []) {
      const targetManifest = byName.get(target);
      if (targetManifest === undefined) continue;
      if (!(targetManifest.facade ?? []).some((op) => op.callers.includes(m.name))) {
        throw new LocalWiringError(
          `Quantum '${m.name}' calls the facade of '${target}', but no operation of '${target}' lists '${m.name}' among its callers`,
        );
      }
    }
  }
  const sendersTo = (target: string): string[] =>
    wiring.manifests.filter((m) => (m.sends ?? []).some((s) => s.quantum === target)).map((m) => m.name);

  return (m, fn) => {
    const env: Record<string, string> = {};
    const signingKeys = wiring.signingKeys.get(m.name);
    if (signingKeys !== undefined) env[ENV.signingKeysJwk] = JSON.stringify(signingKeys);
    const dataKey = wiring.encryptionKeys.get(m.name);
    if (dataKey !== undefined) env[ENV.encryptionKeyLocal] = dataKey;
    if (m.name === 'platform' && fn === 'authorizer') {
      env[ENV.jwksUri] = `${wiring.httpUrl}/identity/.well-known/jwks.json`;
    }
    if (m.replyHandler !== undefined) {
      const reply = wiring.queueUrlOf(namesOf(m.name, wiring.prefix).replyQueue);
      if (reply !== undefined) env[ENV.replyQueueUrl] = reply;
    }
    for (const target of m.sends ?? []) {
      const request = wiring.queueUrlOf(namesOf(target.quantum, wiring.prefix).requestQueue);
      if (request !== undefined) env[requestQueueUrlVar(target.quantum)] = request;
    }
    if (fn === m.requestHandlers?.[0]?.function) {
      for (const sender of sendersTo(m.name)) {
        const reply = wiring.queueUrlOf(namesOf(sender, wiring.prefix).replyQueue);
        if (reply !== undefined) env[replyQueueUrlVar(sender)] = reply;
      }
    }
    for (const target of m.calls ?? []) {
      if (byName.has(target)) env[facadeUrlVar(target)] = wiring.facadeUrlOf(target);
    }
    return env;
  };
}
