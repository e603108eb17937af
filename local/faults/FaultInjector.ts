import { randomUUID } from 'node:crypto';
import { LambdaRuntimeStoppedError } from '../lambda/errors';
import type { FunctionInvoker, InvokeOptions, InvokeResult } from '../lambda/FunctionInvoker';
import { FaultRuleError } from './errors';

/**
 * How an invocation fails:
 * - `fail-before`: the function does not run and the invocation fails, like a crash at init;
 * - `fail-after`: the function runs (its side effects happen) and the invocation still fails, like
 *   a crash after the work but before the result was returned: the at-least-once case every
 *   consumer must be idempotent against;
 * - `hang`: the function does not run and the invocation fails with `Sandbox.Timedout` once the
 *   function's timeout has passed, so a synchronous caller meets its own timeout first.
 */
export type FaultMode = 'fail-before' | 'fail-after' | 'hang';

/** A fault applied to a share of one function's invocations. */
export interface FaultRule {
  readonly mode: FaultMode;
  /** Share of invocations that fail, 0 to 1. @default 1 */
  readonly rate?: number;
  /** Seed of this rule's draws. @default derived from the injector's seed and the function id; random without one */
  readonly seed?: number;
}

/** What happened to one function's invocations since the injector started. */
export interface FaultStats {
  /** Invocations any engine asked for. */
  readonly invocations: number;
  /** Times the function actually ran (every invocation but `fail-before` and `hang` faults). */
  readonly executions: number;
  /** Faults injected, by mode. */
  readonly injected: Readonly<Record<FaultMode, number>>;
}

/** Options of {@link FaultInjector}. */
export interface FaultInjectorOptions {
  /** The invoker that runs functions (the Lambda runtime). */
  readonly inner: FunctionInvoker;
  /** The timeout of a function in milliseconds (how long a `hang` lasts). */
  readonly timeoutMsOf: (functionId: string) => number;
  /** Base seed: with one, every rule's draws are deterministic. @default none (Math.random) */
  readonly seed?: number;
}

const MODES: readonly FaultMode[] = ['fail-before', 'fail-after', 'hang'];

interface ActiveRule {
  readonly mode: FaultMode;
  readonly rate: number;
  readonly draw: () => number;
}

interface Counters {
  invocations: number;
  executions: number;
  injected: Record<FaultMode, number>;
}

/**
 * Wraps the invoker every local engine uses and makes chosen functions fail, for reliability
 * tests: `inject` a rule on a function id, `clear` it when the "outage" is over. Decisions are
 * deterministic when a seed is given.
 *
 * @example
 * ```ts
 * const faults = new FaultInjector({ inner: runtime, timeoutMsOf: (id) => 30_000, seed: 7 });
 * faults.inject('payments.requests', { mode: 'fail-after', rate: 0.2 });
 * await faults.invoke('payments.requests', event); // runs; 1 in 5 reports a failure anyway
 * faults.clear('payments.requests');
 * ```
 */
export class FaultInjector implements FunctionInvoker {
  readonly #inner: FunctionInvoker;
  readonly #timeoutMsOf: (functionId: string) => number;
  readonly #seed: number | undefined;
  readonly #rules = new Map<string, ActiveRule>();
  readonly #counters = new Map<string, Counters>();
  readonly #hanging = new Set<{
    readonly timer: NodeJS.Timeout;
    readonly fail: (error: Error) => void;
    readonly functionId: string;
  }>();

  constructor(options: FaultInjectorOptions) {
    this.#inner = options.inner;
    this.#timeoutMsOf = options.timeoutMsOf;
    this.#seed = options.seed;
  }

  /** Makes `rule.rate` of `functionId`'s invocations fail in `rule.mode`, replacing any rule it had. */
  inject(functionId: string, rule: FaultRule): this {
    if (!MODES.includes(rule.mode)) {
      throw new FaultRuleError(`Fault mode must be one of ${MODES.join(', ')}; got '${String(rule.mode)}'`);
    }
    const rate = rule.rate ?? 1;
    if (!(rate >= 0 && rate <= 1)) {
      throw new FaultRuleError(`Fault rate of '${functionId}' must be from 0 to 1; got ${rate}`);
    }
    const seed = rule.seed ?? (this.#seed === undefined ? undefined : seedFor(this.#seed, functionId));
    if (seed !== undefined && !Number.isInteger(seed)) {
      throw new FaultRuleError(`Fault seed of '${functionId}' must be an integer; got ${seed}`);
    }
    this.#rules.set(functionId, {
      mode: rule.mode,
      rate,
      draw: seed === undefined ? Math.random : seededRandom(seed),
    });
    return this;
  }

  /** Removes the rule of `functionId`, or every rule. Hanging invocations still run out their time. */
  clear(functionId?: string): this {
    if (functionId === undefined) this.#rules.clear();
    else this.#rules.delete(functionId);
    return this;
  }

  /** The mode injected on `functionId`, if any. */
  ruleOf(functionId: string): Readonly<{ mode: FaultMode; rate: number }> | undefined {
    const rule = this.#rules.get(functionId);
    return rule === undefined ? undefined : { mode: rule.mode, rate: rule.rate };
  }

  /** Invocations, executions and injected faults of `functionId` so far. */
  stats(functionId: string): FaultStats {
    const c = this.#counters.get(functionId);
    return c === undefined
      ? { invocations: 0, executions: 0, injected: { 'fail-before': 0, 'fail-after': 0, hang: 0 } }
      : { invocations: c.invocations, executions: c.executions, injected: { ...c.injected } };
  }

  async invoke(functionId: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const counters = this.#countersOf(functionId);
    counters.invocations++;
    const rule = this.#rules.get(functionId);
    const fault = rule !== undefined && rule.draw() < rule.rate ? rule.mode : undefined;
    if (fault !== undefined) counters.injected[fault]++;
    switch (fault) {
      case 'fail-before':
        options.onStart?.();
        return {
          ok: false,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${randomUUID()} Error: Runtime exited with error: exit status 1 (injected fault: fail-before)`,
          },
          durationMs: 0,
          coldStart: false,
        };
      case 'hang':
        options.onStart?.();
        return this.#hang(functionId);
      default: {
        counters.executions++;
        const result = await this.#inner.invoke(functionId, event, options);
        if (fault !== 'fail-after') return result;
        return {
          ok: false,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${randomUUID()} Error: Runtime exited with error: exit status 1 (injected fault: fail-after)`,
          },
          durationMs: result.durationMs,
          coldStart: result.coldStart,
        };
      }
    }
  }

  /** Ends every hanging invocation with `LambdaRuntimeStoppedError`, as the runtime ends in-flight ones on stop. */
  stop(): void {
    for (const hanging of this.#hanging) {
      clearTimeout(hanging.timer);
      hanging.fail(new LambdaRuntimeStoppedError(hanging.functionId, 'stopped'));
    }
    this.#hanging.clear();
  }

  #hang(functionId: string): Promise<InvokeResult> {
    const timeoutMs = this.#timeoutMsOf(functionId);
    return new Promise((resolve, reject) => {
      const entry = {
        functionId,
        fail: reject,
        timer: setTimeout(() => {
          this.#hanging.delete(entry);
          resolve({
            ok: false,
            error: {
              errorType: 'Sandbox.Timedout',
              errorMessage: `${new Date().toISOString()} ${randomUUID()} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
            },
            durationMs: timeoutMs,
            coldStart: false,
          });
        }, timeoutMs),
      };
      // A hanging invocation must not keep a stopping process alive.
      entry.timer.unref();
      this.#hanging.add(entry);
    });
  }

  #countersOf(functionId: string): Counters {
    let c = this.#counters.get(functionId);
    if (c === undefined) {
      c = { invocations: 0, executions: 0, injected: { 'fail-before': 0, 'fail-after': 0, hang: 0 } };
      this.#counters.set(functionId, c);
    }
    return c;
  }
}

/**
 * A deterministic uniform generator in [0, 1) (mulberry32): the same seed gives the same sequence,
 * so a test that injects faults at a rate fails the same invocations on every run.
 *
 * @example
 * ```ts
 * const next = seededRandom(42);
 * next(); // 0.6011037519201636, on every run
 * ```
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A 32-bit seed derived from a base seed and a name (FNV-1a), so each function draws its own sequence.
 *
 * @example
 * ```ts
 * seedFor(7, 'payments.requests'); // 730938699, on every run
 * ```
 */
function seedFor(base: number, name: string): number {
  let hash = (0x811c9dc5 ^ base) >>> 0;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
