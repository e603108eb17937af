export type {
  CancellationReason,
  Order,
  OrderAccepted,
  OrderPage,
  OrderStatus,
  PlaceOrderRequest,
} from './api';
export {
  cancellationReasonSchema,
  idempotencyKeySchema,
  orderAcceptedSchema,
  orderPageSchema,
  orderSchema,
  orderStatusSchema,
  placeOrderRequestSchema,
} from './api';
export { OrderCancelled, OrderConfirmed, OrderPlaced } from './events';
