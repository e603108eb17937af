import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';
import { SynthError } from './errors';
import { functionBundleBase } from './functionBundleBase';

/**
 * esbuild's options for one function's deployed bundle, written to `outdir`: an ESM entry
 * `index.mjs` (handler `index.handler`) for Node.js 24, minified, with source maps (no sources
 * inside), the AWS SDK bundled (D12), and code that is only imported dynamically split into chunks
 * of its own (`chunk-<hash>.mjs`, D59), so a cold start parses only what it loads. The source maps
 * ship with the code; Node.js applies them only under `NODE_OPTIONS=--enable-source-maps`, which
 * functions do not get by default: it reads and indexes every map at load, ~50 ms more per cold
 * start (D59). A deployment that wants mapped stack traces sets it with `quanta:environment`.
 *
 * @example
 * ```ts
 * const options = functionBundleOptions('/repo/quanta/identity/functions/api.ts', '/repo', '/tmp/out');
 * options.splitting; // true
 * ```
 */
export function functionBundleOptions(
  entry: string,
  projectRoot: string,
  outdir: string,
): esbuild.BuildOptions & { outdir: string } {
  return {
    ...functionBundleBase(),
    absWorkingDir: projectRoot,
    entryPoints: { index: entry },
    outdir,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    minify: true,
    logLevel: 'warning',
  };
}

/**
 * A function's deployment package, bundled by esbuild at synth (in this process, never in Docker)
 * with {@link functionBundleOptions}. CDK's `NodejsFunction` writes exactly one file (`--outfile`),
 * which cannot split, so every bundle carried code it never loads (Powertools Tracer and the X-Ray
 * SDK when tracing is off, the SDK's SSO and STS credential clients in Lambda). The asset hash is
 * the output's, as `NodejsFunction`'s is. Stacks that skip bundling (`aws:cdk:bundling-stacks`)
 * never call esbuild.
 *
 * @example
 * ```ts
 * const code = functionCode('/repo/quanta/identity/functions/api.ts', '/repo');
 * new lambda.Function(stack, 'Api', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
 * ```
 */
export function functionCode(entry: string, projectRoot: string): lambda.Code {
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never used: local bundling always answers (it throws when the build fails).
      image: DockerImage.fromRegistry('scratch'),
      // CDK caches staged assets by source folder and bundling options, and a quantum's entries share
      // a folder: the entry must be in those options, or every function of a folder gets the first
      // one's bundle. (`extraHash` would say it better, but the Lambda asset options do not take it.)
      environment: { QUANTA_FUNCTION_ENTRY: path.relative(projectRoot, entry) },
      local: {
        tryBundle(outputDir: string): boolean {
          try {
            esbuild.buildSync(functionBundleOptions(entry, projectRoot, outputDir));
          } catch (error) {
            throw new SynthError(
              `esbuild could not bundle ${path.relative(projectRoot, entry)}: ${(error as Error).message}`,
            );
          }
          return true;
        },
      },
    },
  });
}
