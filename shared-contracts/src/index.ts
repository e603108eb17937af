export type {
  CreateProductRequest,
  Product,
  ProductPage,
  RestockRequest,
  UpdateProductRequest,
} from './catalog/api';
export {
  createProductRequestSchema,
  productPageSchema,
  productSchema,
  restockRequestSchema,
  updateProductRequestSchema,
} from './catalog/api';
export { PriceChanged, ProductCreated, ProductRenamed, StockDepleted } from './catalog/events';
export type { GetProductsRequest, GetProductsResponse } from './catalog/facade';
export { getProductsRequestSchema, getProductsResponseSchema } from './catalog/facade';
export {
  ReleaseStock,
  ReserveStock,
  StockReleased,
  StockReserved,
  StockUnavailable,
} from './catalog/requests';
export type { PageQuery } from './common/primitives';
export {
  amountCentsSchema,
  currencySchema,
  cursorSchema,
  idSchema,
  pageOf,
  pageQuerySchema,
} from './common/primitives';
export type { AnyEventEnvelope, EventContract, EventData, EventEnvelope } from './envelope/EventEnvelope';
export {
  defineEvent,
  eventEnvelopeBaseSchema,
} from './envelope/EventEnvelope';
export type { AnyRequestEnvelope, MessageContract, RequestEnvelope } from './envelope/RequestEnvelope';
export { defineMessage, requestEnvelopeBaseSchema } from './envelope/RequestEnvelope';
export type { AuthorizerContext } from './http/AuthorizerContext';
export { authorizerContextSchema } from './http/AuthorizerContext';
export type { ErrorBody } from './http/ErrorBody';
export { errorBodySchema } from './http/ErrorBody';
export type {
  AccessTokenClaims,
  Jwk,
  Jwks,
  LoginRequest,
  MeResponse,
  RefreshRequest,
  SignupRequest,
  SignupResponse,
  TokenPair,
} from './identity/api';
export {
  accessTokenClaimsSchema,
  jwkSchema,
  jwksSchema,
  loginRequestSchema,
  meResponseSchema,
  refreshRequestSchema,
  signupRequestSchema,
  signupResponseSchema,
  tokenPairSchema,
} from './identity/api';
export { SessionRevoked, UserRegistered } from './identity/events';
export type { GetUserRequest, GetUserResponse } from './identity/facade';
export { getUserRequestSchema, getUserResponseSchema } from './identity/facade';
export type {
  CancellationReason,
  Order,
  OrderAccepted,
  OrderPage,
  OrderStatus,
  PlaceOrderRequest,
} from './orders/api';
export {
  cancellationReasonSchema,
  idempotencyKeySchema,
  orderAcceptedSchema,
  orderPageSchema,
  orderSchema,
  orderStatusSchema,
  placeOrderRequestSchema,
} from './orders/api';
export { OrderCancelled, OrderConfirmed, OrderPlaced } from './orders/events';
export { PaymentAuthorized, PaymentDeclined } from './payments/events';
export type { GetPaymentRequest, GetPaymentResponse } from './payments/facade';
export { getPaymentRequestSchema, getPaymentResponseSchema } from './payments/facade';
export type { Card, DeclineReason } from './payments/requests';
export {
  AuthorizePayment,
  cardSchema,
  declineReasonSchema,
  PaymentAuthorizedReply,
  PaymentDeclinedReply,
  PaymentRefunded,
  RefundPayment,
} from './payments/requests';
export type { RealtimeTicketResponse } from './platform/api';
export { realtimeTicketResponseSchema } from './platform/api';
