export type { ErrorBody } from './ErrorBody';
export { errorBodySchema } from './ErrorBody';
