import type { QuantumManifest } from '@quanta/runtime/manifest';
import { functionIdOf } from '../lambda/FunctionInvoker';
import type { LocalSchedule } from './LocalSchedule';

/**
 * The schedules of the given manifests, named as the stacks name them (`<prefix>-<quantum>-<id>`).
 *
 * @example
 * ```ts
 * schedulesOf([orders], 'quanta'); // [{ quantum: 'orders', id: 'deadline-sweep', functionId: 'orders.sweeper', everySeconds: 60, … }]
 * ```
 */
export function schedulesOf(manifests: readonly QuantumManifest[], prefix: string): LocalSchedule[] {
  return manifests.flatMap((m) =>
    (m.schedules ?? []).map((s) => ({
      quantum: m.name,
      id: s.id,
      scheduleName: `${prefix}-${m.name}-${s.id}`,
      functionId: functionIdOf(m.name, s.function),
      everySeconds: s.everySeconds,
    })),
  );
}
