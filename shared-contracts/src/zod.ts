// `z` for every schema a function can load (contracts, runtime, quanta): zod's functional
// `zod/mini` API, which esbuild shakes to the 20–40 KB a function uses, where classic `zod` puts
// ~450 KB in every bundle and evaluates all of it at cold start (decision D12). Same core, so
// `z.infer`, parsing and issues are classic zod's; but `zod/mini` installs no messages, so zod's
// English ones are installed here, and package.json lists this file in `sideEffects` so bundlers
// keep that call. Import it as `import * as z from '@quanta/contracts/zod'`, never classic `zod`.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
