import { z } from 'zod';
import { amountCentsSchema, currencySchema, idSchema } from '../common/primitives';
import { defineEvent } from '../envelope/EventEnvelope';

export const ProductCreated = defineEvent(
  'catalog',
  'ProductCreated',
  1,
  z.object({
    productId: idSchema,
    name: z.string(),
    priceCents: amountCentsSchema,
    currency: currencySchema,
    stock: z.number().int(),
  }),
);

/** A product got a new name; `version` orders renames (consumers keep the highest). */
export const ProductRenamed = defineEvent(
  'catalog',
  'ProductRenamed',
  1,
  z.object({
    productId: idSchema,
    name: z.string(),
    previousName: z.string(),
    version: z.number().int().positive(),
  }),
);

export const PriceChanged = defineEvent(
  'catalog',
  'PriceChanged',
  1,
  z.object({
    productId: idSchema,
    priceCents: amountCentsSchema,
    previousPriceCents: amountCentsSchema,
    currency: currencySchema,
    version: z.number().int().positive(),
  }),
);

/** Available stock reached zero. */
export const StockDepleted = defineEvent('catalog', 'StockDepleted', 1, z.object({ productId: idSchema }));
