import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coldStartFiles } from '../../bench/lib/coldStartFiles';

/**
 * The real thing, as a developer runs it: `npx cdk synth` through the pinned 2.x CLI, offline,
 * bundling every handler with esbuild. Assertion tests skip bundling for speed; this one does not.
 */
const root = path.resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(path.join(root, 'node_modules', '.cache-synth-'));
let stdout = '';
/** The stacks of cdk.json's registry, and the web client's. */
const STACKS = ['Platform', 'Identity', 'Catalog', 'Payments', 'Orders', 'Chat', 'Web'] as const;

interface AssemblyManifest {
  artifacts: Record<
    string,
    { type: string; dependencies?: string[]; properties?: { templateFile?: string } }
  >;
}

beforeAll(async () => {
  const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
  const result = await promisify(execFile)(cdk, ['synth', '--quiet', '--no-notices', '--output', outDir], {
    cwd: root,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  stdout = result.stdout;
}, 180_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe('npx cdk synth', () => {
  it('produces a template per registered quantum offline: Platform, Identity, Catalog, Payments, Orders, Chat, and Web', () => {
    for (const id of STACKS) expect(existsSync(path.join(outDir, `${id}.template.json`)), id).toBe(true);
    expect(stdout).not.toMatch(/error/i);
  });

  it("builds the web client with Vite into the Web stack's asset: index.html and its hashed script", () => {
    const assets = readdirSync(outDir).filter((name) => name.startsWith('asset.'));
    const site = assets.find((name) => existsSync(path.join(outDir, name, 'index.html')));
    expect(site, 'an asset folder holding index.html').toBeDefined();
    const dir = path.join(outDir, site as string);
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    const script = html.match(/<script type="module" crossorigin src="\/(assets\/index-[\w-]+\.js)">/)?.[1];

    expect(script).toBeDefined();
    expect(statSync(path.join(dir, script as string)).size).toBeGreaterThan(10_000);
    expect(readFileSync(path.join(outDir, 'Web.template.json'), 'utf8')).toContain(
      site?.slice('asset.'.length),
    );
  });

  it('lets each stack deploy alone: no stack depends on another and none imports a value', () => {
    const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as AssemblyManifest;
    const stacks = Object.entries(manifest.artifacts).filter(
      ([, a]) => a.type === 'aws:cloudformation:stack',
    );

    expect(stacks.map(([id]) => id).sort()).toEqual([...STACKS].sort());
    for (const [id, artifact] of stacks) {
      const stackDeps = (artifact.dependencies ?? []).filter((d) => !d.endsWith('.assets'));
      expect(stackDeps, `${id} depends on ${stackDeps.join(', ')}`).toEqual([]);
      const template = readFileSync(path.join(outDir, `${id}.template.json`), 'utf8');
      expect(template).not.toContain('Fn::ImportValue');
      expect(template).not.toMatch(/"Export"\s*:/);
    }
  });

  it.each([
    ['Identity', 3],
    ['Catalog', 4],
    ['Payments', 3],
    ['Orders', 5],
    ['Chat', 7],
  ])('bundles every function of %s (%i) as a minified ESM file with a source map', (stack, count) => {
    const template = JSON.parse(readFileSync(path.join(outDir, `${stack}.template.json`), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
    };
    const assets = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Metadata?.['aws:asset:path'])
      .filter((p): p is string => p !== undefined);

    expect(assets.length).toBe(count);
    for (const asset of assets) {
      const bundle = path.join(outDir, asset, 'index.mjs');
      expect(statSync(bundle).size).toBeGreaterThan(1000);
      expect(existsSync(`${bundle}.map`)).toBe(true);
    }
  });

  /** Every function of every quantum stack: its name and its asset folder. */
  function functionAssets(): { name: string; dir: string }[] {
    return STACKS.filter((id) => id !== 'Web').flatMap((stack) => {
      const template = JSON.parse(readFileSync(path.join(outDir, `${stack}.template.json`), 'utf8')) as {
        Resources: Record<
          string,
          { Type: string; Metadata?: Record<string, string>; Properties: { FunctionName?: unknown } }
        >;
      };
      return Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'] !== undefined)
        .map((r) => ({
          name: String(r.Properties.FunctionName),
          dir: path.join(outDir, r.Metadata?.['aws:asset:path'] as string),
        }));
    });
  }

  /** The npm packages a bundle file was built from, read from its source map. */
  function packagesOf(file: string): Set<string> {
    const { sources } = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    return new Set(
      // Resolved first: relative to an output folder inside node_modules, a package's path has no `node_modules/`.
      sources.flatMap(
        (source) =>
          path.resolve(path.dirname(file), source).match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? [],
      ),
    );
  }

  it('gives every function its own bundle, built from its own entry', () => {
    const assets = functionAssets();
    const dirs = new Set(assets.map((a) => a.dir));

    expect(assets.length).toBe(26);
    expect(dirs.size, 'distinct asset folders').toBe(assets.length);
  });

  it('splits code a function only imports on demand into chunks a cold start does not load, and ships every chunk it names', () => {
    for (const { name, dir } of functionAssets()) {
      const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
      for (const file of files) {
        const code = readFileSync(path.join(dir, file), 'utf8');
        for (const [, chunk] of code.matchAll(/["'](\.\/chunk-[\w-]+\.mjs)["']/g)) {
          expect(existsSync(path.join(dir, chunk as string)), `${name}: ${file} names ${chunk}`).toBe(true);
        }
      }
      const loaded = coldStartFiles(path.join(dir, 'index.mjs'));
      const loadedPackages = new Set(loaded.flatMap((f) => [...packagesOf(f)]));
      const allPackages = new Set(files.flatMap((f) => [...packagesOf(path.join(dir, f))]));

      expect(loadedPackages.has('@aws-sdk/client-dynamodb') || loadedPackages.has('@smithy/core'), name).toBe(
        true,
      );
      for (const onDemand of ['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core']) {
        expect(loadedPackages.has(onDemand), `${name} loads ${onDemand} at cold start`).toBe(false);
        expect(allPackages.has(onDemand), `${name} ships ${onDemand} for tracing`).toBe(true);
      }
    }
  });
});
