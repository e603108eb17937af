import type { Order } from './Order';
import type { SagaCommand } from './SagaCommand';

/** Events the saga publishes through the outbox together with a transition. */
export type OrderEventType = 'OrderConfirmed' | 'OrderCancelled';

/**
 * What to do with a signal, decided by `decideSaga` from the order's current state.
 * - `commit`: write `next` (conditionally on the order's current version), with `event` in the outbox
 *   and the sealed card deleted when `deleteCard`, in one transaction; then send `commands`.
 * - `send`: no state change; send `commands` (a redelivery repairing a crash, or a late compensation).
 * - `ignore`: a duplicate or a stale signal; `why` says which, for the logs.
 * - `notPending`: the customer asked to cancel an order that is no longer PENDING.
 */
export type SagaDecision =
  | {
      readonly kind: 'commit';
      readonly next: Order;
      readonly event?: OrderEventType;
      readonly deleteCard: boolean;
      readonly commands: readonly SagaCommand[];
    }
  | { readonly kind: 'send'; readonly commands: readonly SagaCommand[]; readonly why: string }
  | { readonly kind: 'ignore'; readonly why: string }
  | { readonly kind: 'notPending' };
