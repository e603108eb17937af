import { accessTokenFor, startLocalCloudProcess } from './httpLatency';
import { emit } from './lib/emit';
import { percentile, round } from './lib/percentile';

/**
 * Logout -> the same access token refused, with the authorizer cache off so only the revocation
 * pipeline (outbox -> stream -> relay -> bus -> inbox -> denylist) is measured.
 */
export async function sessionRevocation(options: { root: string; samples: number }): Promise<void> {
  const { server, url } = await startLocalCloudProcess(options.root, ['--authorizer-cache-ttl', '0']);
  try {
    const latencies: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      const { accessToken } = await accessTokenFor(url, `revoke${i}`);
      const headers = { authorization: `Bearer ${accessToken}` };
      const logout = await fetch(`${url}/identity/logout`, { method: 'POST', headers });
      if (logout.status !== 204) throw new Error(`logout answered ${logout.status}`);
      const started = performance.now();
      const deadline = Date.now() + 10_000;
      for (;;) {
        const me = await fetch(`${url}/identity/me`, { headers });
        await me.arrayBuffer();
        if (me.status !== 200) break;
        if (Date.now() > deadline) throw new Error('the token was still accepted 10 s after logout');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    emit({
      bench: 'session_revocation',
      authorizer_cache_ttl_s: 0,
      samples: latencies.length,
      p50_ms: round(percentile(latencies, 50), 0),
      max_ms: round(latencies.at(-1) ?? Number.NaN, 0),
    });
  } finally {
    await server.stop();
  }
}
