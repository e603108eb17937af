import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake facade behaves: answer, never answer, or fail. */
export type FacadeMode = 'ok' | 'hang' | 'error';

/** A product the fake facade knows. */
export interface FacadeProduct {
  readonly productId: string;
  readonly name: string;
  readonly priceCents: number;
  readonly currency: string;
  readonly available: number;
}

/**
 * A stand-in for catalog's facade REST API on 127.0.0.1: `POST /local/ops/GetProducts` answers from
 * `products`. It records whether requests carried a SigV4 `authorization` header.
 */
export async function startFakeCatalogFacade() {
  const products = new Map<string, FacadeProduct>();
  const state = { mode: 'ok' as FacadeMode, calls: 0, signed: 0 };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    req.on('end', () => {
      state.calls++;
      if (String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) state.signed++;
      if (state.mode === 'hang') return; // never answers: the client's timeout must fire
      if (state.mode === 'error' || !(req.url ?? '').endsWith('/ops/GetProducts')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Internal server error"}');
        return;
      }
      const { ids } = JSON.parse(raw) as { ids: string[] };
      const found = ids.flatMap((id) => {
        const p = products.get(id);
        return p === undefined ? [] : [p];
      });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ products: found, missing: ids.filter((id) => !products.has(id)) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // With a stage path, like a REST API's invoke URL (`https://…/prod`).
    url: `http://127.0.0.1:${port}/local`,
    products,
    state,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
