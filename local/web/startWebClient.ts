import type { WebClientBuilds, WebClientSite } from './WebClientBuilds';
import { type WebClientConfig, WebClientServer } from './WebClientServer';

/** Options of {@link startWebClient}. */
export interface StartWebClientOptions {
  readonly builds: WebClientBuilds;
  /**
   * A lookup of the previous build already under way (`builds.lookup()` started alongside the local
   * cloud, so a start with unchanged sources has its site when the API is ready). @default looked up now
   */
  readonly previous?: Promise<WebClientSite | undefined>;
  /** `/config.json` (the local cloud's URLs), or its promise while the cloud starts. */
  readonly config: WebClientConfig | Promise<WebClientConfig>;
  /** @default 5173 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Told when a background build ends, or fails. @default console.log / console.error */
  readonly log?: (message: string) => void;
}

/** The web client as `npm start` serves it. */
export interface RunningWebClient {
  /** Where the app is served, e.g. `http://127.0.0.1:5173` (its origin). */
  readonly url: string;
  /** The site being served: at once when the previous build was reused, else when Vite has built it. */
  readonly site: Promise<WebClientSite>;
  /** True when the previous build was reused (nothing to wait for). */
  readonly reused: boolean;
  /** Stops the server and gives the build back to the cache. */
  stop(): Promise<void>;
}

/**
 * Serves the web client without ever holding up the API: the previous build when its sources are
 * unchanged (found by hashing, no Vite), otherwise a Vite build started now, in the background, with
 * the server already answering (requests wait for the build). Call it once the local cloud is
 * ready, so a build does not compete with the cloud's start for the CPU.
 *
 * @example
 * ```ts
 * const builds = new WebClientBuilds({ dir: path.join(root, 'node_modules/.cache/quanta-web') });
 * const previous = builds.lookup();
 * const cloud = await LocalCloud.start({ plan, root });
 * const web = await startWebClient({ builds, previous, config: { apiUrl: cloud.urls.http, webSocketUrl: cloud.urls.webSocket } });
 * console.log(web.url); // http://127.0.0.1:5173
 * ```
 */
export async function startWebClient(options: StartWebClientOptions): Promise<RunningWebClient> {
  const found = await (options.previous ?? options.builds.lookup()).catch(() => undefined);
  const log = options.log ?? ((message: string) => console.log(message));
  const site =
    found !== undefined
      ? Promise.resolve(found)
      : options.builds.build().then(
          (built) => {
            log(`Web client built in ${Math.round(built.ms)} ms`);
            return built;
          },
          (error: unknown) => {
            (options.log ?? ((message: string) => console.error(message)))((error as Error).message);
            throw error;
          },
        );
  site.catch(() => undefined);
  const server = new WebClientServer({
    site,
    config: options.config,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  let url: string;
  try {
    ({ url } = await server.start());
  } catch (error) {
    await site.then((built) => built.release()).catch(() => undefined);
    throw error;
  }
  return {
    url,
    site,
    reused: found !== undefined,
    stop: async () => {
      await server.stop();
      await site.then((built) => built.release()).catch(() => undefined);
    },
  };
}
