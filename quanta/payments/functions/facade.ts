import { tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createFacadeRouter } from '@quanta/runtime/http/router';
import { DynamoDbPaymentRepository } from '../adapters/DynamoDbPaymentRepository';
import payments from '../quantum';
import { PaymentLookup } from '../service/PaymentLookup';
import { cardSafeContext } from './environment';
import { operations } from './operations';

// Composition root of payments' `facade` function (REST API, IAM-authorized): once per cold start.
const { observability, table } = cardSafeContext(tableEnvironment, process.env);
const lookup = new PaymentLookup(new DynamoDbPaymentRepository(table));

/** `facade`: `POST /ops/GetPayment`, called by orders with SigV4. */
export const handler = httpHandler(createFacadeRouter(payments.facade ?? [], operations(lookup)), {
  observability,
});
