/** Why an order's stock could not be reserved (the `reason` of the `StockUnavailable` reply). */
export type UnavailableReason = 'OUT_OF_STOCK' | 'UNKNOWN_PRODUCT';
