import { request } from 'node:http';

/** A response read whole. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly text: string;
}

/**
 * One request over a fresh connection, with headers as a raw list so a test can repeat a header
 * (fetch would merge repeats into one line) and stream a chunked body.
 */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: string[]; body?: Buffer | string; chunks?: Buffer[] },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const given = options.headers ?? [];
    // With a raw header list Node adds no Host header, and HTTP/1.1 servers reject a request without one.
    const hasHost = given.some((value, i) => i % 2 === 0 && value.toLowerCase() === 'host');
    const headers = hasHost ? given : ['Host', target.host, ...given];
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        agent: false,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const body = Buffer.concat(parts);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.chunks !== undefined) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}
