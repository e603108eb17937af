import type { QuantumManifest, Registry } from '@quanta/runtime/manifest';

/**
 * Who sends requests to whom among the registered quanta (the request/reply channel), from their
 * manifests. Unregistered quanta are ignored: a manifest may name a target that is not deployed yet.
 *
 * @example
 * ```ts
 * const topology = new RequestTopology(registry, manifests);
 * topology.sendersTo('catalog'); // ['orders']
 * ```
 */
export class RequestTopology {
  readonly #registered: readonly QuantumManifest[];

  constructor(registry: Registry, manifests: Readonly<Record<string, QuantumManifest>>) {
    this.#registered = Object.keys(registry.quanta)
      .map((name) => manifests[name])
      .filter((m): m is QuantumManifest => m !== undefined);
  }

  /** True when `quantum` answers requests (it has a request queue). */
  answers(quantum: string): boolean {
    return (this.#manifest(quantum)?.requestHandlers ?? []).length > 0;
  }

  /** True when `quantum` sends requests (it has a reply queue). */
  sends(quantum: string): boolean {
    return (this.#manifest(quantum)?.sends ?? []).length > 0;
  }

  /** Registered quanta that send requests to `target`. */
  sendersTo(target: string): readonly string[] {
    return this.#registered
      .filter((m) => (m.sends ?? []).some((s) => s.quantum === target))
      .map((m) => m.name);
  }

  /** Registered targets `sender` sends requests to. */
  targetsOf(sender: string): readonly string[] {
    const registered = new Set(this.#registered.map((m) => m.name));
    return (this.#manifest(sender)?.sends ?? []).map((s) => s.quantum).filter((q) => registered.has(q));
  }

  #manifest(quantum: string): QuantumManifest | undefined {
    return this.#registered.find((m) => m.name === quantum);
  }
}
