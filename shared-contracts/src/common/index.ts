export type { PageQuery } from './primitives';
export { currencySchema, idSchema, pageQuerySchema } from './primitives';
