/**
 * `npm run plan`: what `cdk deploy` would create (and what `npm start` runs), from the manifests and
 * the registry in cdk.json, as a readable table; `npm run plan -- --json` prints the whole plan.
 * `-c key=value` overrides context as `cdk` does (e.g. `-c quanta='{"platform":{},"identity":{}}'`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseRegistry, plan, planTable } from '@quanta/runtime/manifest';
import { manifests } from '../quanta/manifests';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    context: { type: 'string', short: 'c', multiple: true },
  },
});
const cdkJson = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const context: Record<string, unknown> = { ...cdkJson.context };
for (const pair of values.context ?? []) {
  const at = pair.indexOf('=');
  const raw = pair.slice(at + 1);
  context[pair.slice(0, at)] = /^\s*[[{]/.test(raw) ? JSON.parse(raw) : raw;
}
const resolved = plan(manifests, parseRegistry(context));
console.log(values.json ? JSON.stringify(resolved, null, 2) : planTable(resolved));
