/** What one call cost in `aws_call_cost`: CPU in the caller and in the engine, ms per call. */
export interface CallCost {
  callerCpuMs: number;
  engineCpuMs: number;
}

/** The CPU the calls of one order cost at least, and which calls it could not put a cost on. */
export interface OrderCallFloor {
  /** The sum of `byCall`: a lower bound for the CPU those calls take under load. */
  floorMs: number;
  /** Of `floorMs`, the part spent in the callers (the SDK, node:http, fauxqs for SQS). */
  callerMs: number;
  /** Of `floorMs`, the part spent in DynamoDB Local's JVM. */
  engineMs: number;
  /** Calls per order times the cost of one call, by the `aws_call_cost` row that priced them. */
  byCall: Record<string, number>;
  /** Calls per order that no `aws_call_cost` row measures (lambda invocations, PutEvents, …). */
  notCosted: Record<string, number>;
}

/**
 * The `aws_call_cost` rows that price an order's calls, by name: `awsCallCost` emits them under these
 * names and {@link orderCallFloor} looks them up by the same, so a renamed row cannot drop out of
 * the floor unnoticed.
 */
export const CALL_COST_ROWS = {
  getItem: 'dynamodb.GetItem',
  query: 'dynamodb.Query',
  putItem: 'dynamodb.PutItem',
  transactWriteItems: 'dynamodb.TransactWriteItems',
  getRecords: 'dynamodbstreams.GetRecords (caught up)',
  sendMessage: 'sqs.SendMessage',
  /** The receive and the delete an event source mapping makes for a batch, measured as one pair. */
  receiveAndDelete: 'sqs.ReceiveMessage + DeleteMessageBatch',
} as const;

/** Which `aws_call_cost` row prices which metered operation (`orders_calls` keys). */
const PRICED_BY: Readonly<Record<string, string>> = {
  'dynamodb.GetItem': CALL_COST_ROWS.getItem,
  'dynamodb.Query': CALL_COST_ROWS.query,
  'dynamodb.PutItem': CALL_COST_ROWS.putItem,
  'dynamodb.TransactWriteItems': CALL_COST_ROWS.transactWriteItems,
  'dynamodbstreams.GetRecords': CALL_COST_ROWS.getRecords,
  'sqs.SendMessage': CALL_COST_ROWS.sendMessage,
};

/** The metered receive and delete that {@link CALL_COST_ROWS.receiveAndDelete} prices as a pair. */
const RECEIVE = 'sqs.ReceiveMessage';
const DELETE = 'sqs.DeleteMessageBatch';

/**
 * The least CPU the calls of one order can cost on this machine: each metered call per order
 * (`orders_calls`) times what one such call costs in a warm process (`aws_call_cost`, caller and
 * engine). A receive and a delete count as one measured pair, as many pairs as the rarer of the
 * two; a receive or delete left over, and any call no row measures, is listed in `notCosted` and
 * adds nothing. It is a floor, not an estimate: the order's transactions and conditional puts hold
 * more items and conditions than the measured ones, and a call under load costs more than in a warm
 * process calling nothing else.
 *
 * @example
 * ```ts
 * const floor = orderCallFloor(
 *   { 'dynamodb.GetItem': 2, 'lambda.orders.api': 1 },
 *   new Map([['dynamodb.GetItem', { callerCpuMs: 1, engineCpuMs: 0.5 }]]),
 * );
 * floor.floorMs; // 3
 * floor.notCosted; // { 'lambda.orders.api': 1 }
 * ```
 */
export function orderCallFloor(
  callsPerOrder: Readonly<Record<string, number>>,
  costs: ReadonlyMap<string, CallCost>,
): OrderCallFloor {
  const byCall: Record<string, number> = {};
  const notCosted: Record<string, number> = {};
  let callerMs = 0;
  let engineMs = 0;
  const price = (row: string, calls: number): boolean => {
    const cost = costs.get(row);
    if (cost === undefined || calls <= 0) return false;
    byCall[row] = (byCall[row] ?? 0) + calls * (cost.callerCpuMs + cost.engineCpuMs);
    callerMs += calls * cost.callerCpuMs;
    engineMs += calls * cost.engineCpuMs;
    return true;
  };

  const receives = callsPerOrder[RECEIVE] ?? 0;
  const deletes = callsPerOrder[DELETE] ?? 0;
  const pairs = Math.min(receives, deletes);
  const paired = price(CALL_COST_ROWS.receiveAndDelete, pairs) ? pairs : 0;
  for (const [key, calls] of Object.entries(callsPerOrder)) {
    const left = key === RECEIVE || key === DELETE ? calls - paired : calls;
    if (left <= 0) continue;
    const row = PRICED_BY[key];
    if (row === undefined || !price(row, left)) notCosted[key] = left;
  }
  return { floorMs: callerMs + engineMs, callerMs, engineMs, byCall, notCosted };
}
