import * as z from '@quanta/contracts/zod';
import { ConfigError } from './errors';

const url = (protocols: readonly string[]) =>
  z.string().check(
    z.refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be an absolute ${protocols.join(' or ')} URL`,
    ),
  );

/**
 * `/config.json`, served beside the app: where the API and the WebSocket API are. Written at deploy
 * time from the platform's SSM parameters (the `Web` stack) or by `npm start` (with `consoleUrl`, the
 * local developer console, which exists only there).
 */
export const webConfigSchema = z.object({
  /** Base URL of the platform's HTTP API, without a trailing slash. */
  apiUrl: url(['http:', 'https:']),
  /** The WebSocket API (`ws://` or `wss://`); tickets carry the URL to connect to, this is the fallback. */
  webSocketUrl: url(['ws:', 'wss:']),
  /** The local developer console; each order links to its trace there. */
  consoleUrl: z.optional(url(['http:', 'https:'])),
});
export type WebConfig = z.infer<typeof webConfigSchema>;

/**
 * Reads and checks `/config.json`; a missing or malformed file is a {@link ConfigError} naming what is wrong.
 *
 * @example
 * ```ts
 * const config = await loadConfig(fetch);
 * console.log(config.apiUrl); // http://127.0.0.1:3000
 * ```
 */
export async function loadConfig(fetchFn: typeof fetch, location = '/config.json'): Promise<WebConfig> {
  let body: unknown;
  try {
    const response = await fetchFn(location, { cache: 'no-store' });
    if (!response.ok) throw new ConfigError(`${location} answered ${response.status}`);
    body = await response.json();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${location} could not be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = webConfigSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${location} is not valid: ${issues.join('; ')}`);
  }
  const config = parsed.data;
  return {
    apiUrl: config.apiUrl.replace(/\/+$/, ''),
    webSocketUrl: config.webSocketUrl,
    ...(config.consoleUrl === undefined ? {} : { consoleUrl: config.consoleUrl.replace(/\/+$/, '') }),
  };
}
