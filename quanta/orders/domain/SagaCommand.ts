/**
 * A request the saga sends to another quantum. The service builds the payload from the order
 * (`AuthorizePayment` also needs the card, opened from the vault only at that moment).
 */
export type SagaCommand = 'ReserveStock' | 'AuthorizePayment' | 'ReleaseStock' | 'RefundPayment';
