import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A static `import … from "./x.mjs"` or `import "./x.mjs"` of esbuild's ESM output (not `import("./x.mjs")`). */
const STATIC_RELATIVE_IMPORT = /\bimport\s*(?:[\w$\s{},*]*?\bfrom\s*)?["'](\.\/[^"']+\.mjs)["']/g;

/**
 * The files of a split ESM bundle that Node loads when it imports `entry`: the entry and every
 * chunk it reaches through static imports, transitively. Chunks reached only through `import()`
 * (code a function loads on demand, such as the X-Ray tracer when tracing is on) are not in it.
 *
 * @example
 * ```ts
 * const files = coldStartFiles('/tmp/cdk.out/asset.1234/index.mjs');
 * files[0]; // '/tmp/cdk.out/asset.1234/index.mjs'
 * ```
 */
export function coldStartFiles(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [path.resolve(entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(STATIC_RELATIVE_IMPORT)) {
      pending.push(path.resolve(path.dirname(file), match[1] as string));
    }
  }
  return [...seen];
}
