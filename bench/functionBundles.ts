import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { coldStartFiles } from './lib/coldStartFiles';
import { emit } from './lib/emit';
import { percentile, round } from './lib/percentile';

const run = promisify(execFile);

interface TemplateFunction {
  Type: string;
  Metadata?: Record<string, string>;
  Properties: { FunctionName?: unknown; Environment?: { Variables?: Record<string, unknown> } };
}

/** A node script that imports one bundle and prints how long the import took, in ms. */
const COLD_IMPORT = `
const started = performance.now();
await import(process.env.BENCH_BUNDLE);
process.stdout.write(String(performance.now() - started));
`;

/**
 * Each function's deployed bundle (the asset `cdk synth` produces, SDK bundled): the bytes a cold
 * start loads, the whole package's code, and its cold import time: a fresh Node process importing it with the template's environment, the module
 * initialisation a cold start pays before the first event (median of 10 fresh processes).
 */
export async function functionBundles(options: { root: string }): Promise<void> {
  const outDir = mkdtempSync(path.join(options.root, 'node_modules', '.cache-bench-synth-'));
  try {
    await run(
      path.join(options.root, 'node_modules', '.bin', 'cdk'),
      ['synth', '--quiet', '--no-notices', '--output', outDir],
      {
        cwd: options.root,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const templates = readdirSync(outDir).filter((f) => f.endsWith('.template.json'));
    for (const file of templates) {
      const template = JSON.parse(readFileSync(path.join(outDir, file), 'utf8')) as {
        Resources: Record<string, TemplateFunction>;
      };
      for (const resource of Object.values(template.Resources)) {
        const assetPath = resource.Metadata?.['aws:asset:path'];
        // The quanta's functions have fixed names (D10); CDK's own (the Web stack's BucketDeployment
        // handler, in Python) have none and are not ours to measure.
        const name = resource.Properties.FunctionName;
        if (resource.Type !== 'AWS::Lambda::Function' || assetPath === undefined || typeof name !== 'string')
          continue;
        const bundle = path.join(outDir, assetPath, 'index.mjs');
        // Values CloudFormation resolves at deploy time (ARNs, URLs) get a placeholder of the same kind.
        const env: Record<string, string> = {};
        for (const [key, value] of Object.entries(resource.Properties.Environment?.Variables ?? {})) {
          env[key] =
            typeof value === 'string'
              ? value
              : key === 'WEBSOCKET_URL'
                ? 'wss://bench.invalid/live'
                : key.endsWith('URI') || key.endsWith('URL')
                  ? 'https://bench.invalid/x'
                  : 'arn:aws:bench:eu-west-1:111111111111:x/bench';
        }
        const samples: number[] = [];
        for (let i = 0; i < 10; i++) {
          const { stdout } = await run(process.execPath, ['--input-type=module', '-e', COLD_IMPORT], {
            env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', ...env, BENCH_BUNDLE: bundle },
          });
          samples.push(Number(stdout));
        }
        samples.sort((a, b) => a - b);
        const assetDir = path.join(outDir, assetPath);
        const sizeOf = (files: readonly string[]) => files.reduce((sum, f) => sum + statSync(f).size, 0);
        emit({
          bench: 'function_bundle',
          function: name,
          // What a cold start loads: the entry and the chunks it imports statically (D59).
          bytes: sizeOf(coldStartFiles(bundle)),
          // The whole deployment package's code, chunks only imported on demand included (no source maps).
          package_bytes: sizeOf(
            readdirSync(assetDir)
              .filter((f) => f.endsWith('.mjs'))
              .map((f) => path.join(assetDir, f)),
          ),
          cold_import_ms: round(percentile(samples, 50), 1),
        });
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
