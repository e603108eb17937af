import type { DeclineReason } from '@quanta/contracts';

/** Something that moves an order's saga: a reply from catalog or payments, the customer, or the clock. */
export type SagaSignal =
  | { readonly type: 'StockReserved' }
  | { readonly type: 'StockUnavailable' }
  | { readonly type: 'PaymentAuthorized'; readonly paymentId: string }
  | { readonly type: 'PaymentDeclined'; readonly reason: DeclineReason }
  | { readonly type: 'StockReleased' }
  | { readonly type: 'PaymentRefunded' }
  /** The sweep found the order PENDING past its deadline. */
  | { readonly type: 'DeadlinePassed' }
  /** The owner asked to cancel. */
  | { readonly type: 'CancelRequested' }
  /** The sweep found compensations unacknowledged past their retry time. */
  | { readonly type: 'CompensationDue' };

/** The type names of {@link SagaSignal}. */
export type SagaSignalType = SagaSignal['type'];
