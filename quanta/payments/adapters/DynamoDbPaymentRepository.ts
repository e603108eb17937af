import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ReturnValue,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { currencySchema } from '@quanta/contracts/common';
import type { AnyEventEnvelope } from '@quanta/contracts/envelope';
import { declineReasonSchema } from '@quanta/contracts/payments';
import * as z from '@quanta/contracts/zod';
import type { TableConnection } from '@quanta/runtime/config';
import {
  isConditionalCheckFailed,
  transactionCancellationReasons,
  transactWrite,
} from '@quanta/runtime/dynamodb';
import { outboxPut } from '@quanta/runtime/events';
import type { PaymentIntent, PaymentLease } from '../domain/PaymentIntent';
import type { PaymentRepository } from '../domain/PaymentRepository';

/**
 * Key of the order's payment intent (one per order, the idempotency key of both requests). The
 * table's other items are the outbox's (`OUTBOX#<eventId>` / `OUTBOX`, written by `outboxPut`).
 */
function intentKey(orderId: string): { pk: string; sk: string } {
  return { pk: `PAYMENT#${orderId}`, sk: 'PAYMENT' };
}

/** A payment intent item as stored; parsed on every read so a corrupt item fails loudly. */
const intentItemSchema = z.object({
  orderId: z.string(),
  paymentId: z.string(),
  status: z.enum(['PENDING', 'AUTHORIZED', 'DECLINED', 'REFUNDED', 'VOIDED']),
  amountCents: z.optional(z.number().check(z.int())),
  currency: z.optional(currencySchema),
  last4: z.optional(z.string().check(z.regex(/^\d{4}$/))),
  declineReason: z.optional(declineReasonSchema),
  authorizationCode: z.optional(z.string()),
  attempts: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  leaseOwner: z.optional(z.string()),
  leaseUntil: z.optional(z.number()),
  correlationId: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const PENDING_AND_LEASE_FREE =
  '#status = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)';

/**
 * {@link PaymentRepository} on payments' table: one item per order, `PAYMENT#<orderId>/PAYMENT`,
 * holding the intent's status, amount, currency, the card's last 4 digits (never more) and, while
 * PENDING, its lease (`leaseOwner`, `leaseUntil` in epoch ms). Every transition is a conditional
 * write on the current status (and lease owner); settling writes the outbox event in the same
 * `TransactWriteItems`, so an event exists if and only if its state does.
 *
 * @example
 * ```ts
 * const payments = new DynamoDbPaymentRepository(table);
 * await payments.find('ord-1');
 * ```
 */
export class DynamoDbPaymentRepository implements PaymentRepository {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #ttlAttribute: string;

  constructor(table: TableConnection) {
    this.#client = table.client;
    this.#tableName = table.tableName;
    this.#ttlAttribute = table.ttlAttribute;
  }

  async find(orderId: string): Promise<PaymentIntent | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#tableName,
        Key: marshall(intentKey(orderId)),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : intentOf(unmarshall(Item));
  }

  async create(intent: PaymentIntent): Promise<boolean> {
    return this.#conditional(() =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: itemOf(intent),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async takeOver(orderId: string, lease: PaymentLease, now: Date): Promise<PaymentIntent | undefined> {
    try {
      const { Attributes } = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: marshall(intentKey(orderId)),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until, updatedAt = :now',
          ConditionExpression: PENDING_AND_LEASE_FREE,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':owner': lease.owner,
            ':until': lease.until,
            ':now': now.toISOString(),
            ':nowMs': now.getTime(),
            ':pending': 'PENDING',
          }),
          ReturnValues: ReturnValue.ALL_NEW,
        }),
      );
      return Attributes === undefined ? undefined : intentOf(unmarshall(Attributes));
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async settle(intent: PaymentIntent, leaseOwner: string, event: AnyEventEnvelope): Promise<boolean> {
    try {
      await transactWrite(this.#client, [
        {
          Put: {
            TableName: this.#tableName,
            Item: itemOf({ ...intent, lease: undefined }),
            ConditionExpression: '#status = :pending AND leaseOwner = :owner',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: marshall({ ':pending': 'PENDING', ':owner': leaseOwner }),
          },
        },
        outboxPut(event, { tableName: this.#tableName, ttlAttribute: this.#ttlAttribute }),
      ]);
      return true;
    } catch (error) {
      if (transactionCancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async release(orderId: string, leaseOwner: string, attempts: number, now: Date): Promise<void> {
    // A lost condition means someone else took over already; nothing left to give back.
    await this.#conditional(() =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: marshall(intentKey(orderId)),
          UpdateExpression:
            'SET attempts = :attempts, leaseUntil = :free, updatedAt = :now REMOVE leaseOwner',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: marshall({
            ':attempts': attempts,
            ':free': 0,
            ':now': now.toISOString(),
            ':owner': leaseOwner,
          }),
        }),
      ),
    );
  }

  async markRefunded(orderId: string, now: Date): Promise<boolean> {
    return this.#conditional(() =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: marshall(intentKey(orderId)),
          UpdateExpression: 'SET #status = :refunded, refundedAt = :now, updatedAt = :now',
          ConditionExpression: '#status = :authorized',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':refunded': 'REFUNDED',
            ':authorized': 'AUTHORIZED',
            ':now': now.toISOString(),
          }),
        }),
      ),
    );
  }

  async voidAbandoned(orderId: string, now: Date): Promise<boolean> {
    return this.#conditional(() =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: marshall(intentKey(orderId)),
          UpdateExpression:
            'SET #status = :voided, declineReason = :voided, voidedAt = :now, updatedAt = :now REMOVE leaseOwner, leaseUntil',
          ConditionExpression: PENDING_AND_LEASE_FREE,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({
            ':voided': 'VOIDED',
            ':pending': 'PENDING',
            ':now': now.toISOString(),
            ':nowMs': now.getTime(),
          }),
        }),
      ),
    );
  }

  /** Runs a conditional write; false when only its condition failed. */
  async #conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function itemOf(intent: PaymentIntent) {
  const { lease, ...fields } = intent;
  return marshall(
    {
      ...intentKey(intent.orderId),
      ...fields,
      ...(lease === undefined ? {} : { leaseOwner: lease.owner, leaseUntil: lease.until }),
    },
    { removeUndefinedValues: true },
  );
}

function intentOf(item: Record<string, unknown>): PaymentIntent {
  const { leaseOwner, leaseUntil, ...fields } = intentItemSchema.parse(item);
  return {
    ...fields,
    // A released lease keeps `leaseUntil = 0` and no owner: free for the next delivery.
    lease: leaseUntil === undefined ? undefined : { owner: leaseOwner ?? '', until: leaseUntil },
  };
}
