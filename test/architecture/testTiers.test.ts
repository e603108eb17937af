import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config';

const root = path.resolve(import.meta.dirname, '../..');

interface Project {
  readonly name: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly globalSetup: readonly string[];
  readonly setupFiles: readonly string[];
}

/** The projects as vitest reads them from the repository config. */
const projects: Project[] = (config.test?.projects ?? []).map((project) => {
  if (typeof project !== 'object' || project === null || !('test' in project) || project.test === undefined) {
    throw new Error(`vitest.config.ts: every project is inline, got ${JSON.stringify(project)}`);
  }
  const { name, include = [], exclude = [], globalSetup = [], setupFiles = [] } = project.test;
  return {
    name: typeof name === 'string' ? name : String(name?.label),
    include,
    exclude,
    globalSetup: [globalSetup].flat(),
    setupFiles: [setupFiles].flat(),
  };
});

const matches = (file: string, globs: readonly string[]): boolean =>
  globs.some((glob) => path.matchesGlob(file, glob));

/** The projects that run `file` (a path relative to the repository root). */
function projectsOf(file: string): string[] {
  return projects.filter((p) => matches(file, p.include) && !matches(file, p.exclude)).map((p) => p.name);
}

/** Every file a test runner could take for a test, wherever it is and whatever vitest's globs say. */
function testFiles(): string[] {
  return globSync('**/*.{test,spec}.{ts,mts,cts,tsx,js,mjs,cjs,jsx}', {
    cwd: root,
    exclude: (entry) => /(^|[\\/])(node_modules|\.git|cdk\.out|\.quanta)$/.test(entry),
  }).map((file) => file.split(path.sep).join('/'));
}

describe('The test tiers', () => {
  it('put every test file of the repository in exactly one vitest project', () => {
    const files = testFiles();

    const misplaced = files
      .map((file) => ({ file, projects: projectsOf(file) }))
      .filter((entry) => entry.projects.length !== 1)
      .map(
        (entry) => `${entry.file}: ${entry.projects.length === 0 ? 'no tier' : entry.projects.join(' and ')}`,
      );

    expect(files.length).toBeGreaterThan(100);
    expect(misplaced).toEqual([]);
  });

  it('tell the tier by the name or folder: *.int.test.ts, *.e2e.test.ts or test/e2e/, test/stacks/, otherwise unit', () => {
    const examples = {
      'quanta/orders/test/OrderService.test.ts': ['unit'],
      'test/architecture/testTiers.test.ts': ['unit'],
      'test/stacks/nag.test.ts': ['stacks'],
      'test/stacks/synth.int.test.ts': ['integration'],
      'quanta/orders/test/dynamodb.orders.int.test.ts': ['integration'],
      'local/http/test/HttpGateway.routing.int.test.ts': ['integration'],
      'local/test/LocalCloud.e2e.test.ts': ['e2e'],
      'test/e2e/commerceFlow.test.ts': ['e2e'],
      'test/e2e/isolation.local.test.ts': ['e2e'],
      'test/e2e/flashSale.local.test.ts': ['e2e-heavy'],
      'test/e2e/conservation.local.test.ts': ['e2e-heavy'],
      'test/e2e/webClient.browser.test.ts': ['e2e-heavy'],
    };

    const actual = Object.fromEntries(Object.keys(examples).map((file) => [file, projectsOf(file)]));

    expect(actual).toEqual(examples);
  });

  it('flag a file in two tiers or in none', () => {
    expect(projectsOf('test/e2e/gateway.int.test.ts')).toEqual(['integration', 'e2e']);
    expect(projectsOf('quanta/orders/test/OrderService.spec.ts')).toEqual([]);
  });

  it("give every tier the run's temporary directory, start DynamoDB Local only for integration and e2e, and sandbox the unit and stacks tiers", () => {
    const setups = Object.fromEntries(projects.map((p) => [p.name, p.globalSetup]));
    const sandboxed = projects
      .filter((p) => p.setupFiles.includes('test/setup/unitSandbox.ts'))
      .map((p) => p.name);

    expect(config.test?.globalSetup).toBeUndefined();
    expect(setups).toEqual({
      unit: ['test/setup/runTempDir.ts'],
      stacks: ['test/setup/runTempDir.ts'],
      integration: ['test/setup/runTempDir.ts', 'test/setup/globalSetup.ts'],
      e2e: ['test/setup/runTempDir.ts', 'test/setup/globalSetup.ts'],
      'e2e-heavy': ['test/setup/runTempDir.ts', 'test/setup/globalSetup.ts'],
    });
    expect(sandboxed).toEqual(['unit', 'stacks']);
  });

  it('keep aws-cdk-lib, slow to load, out of the unit tier', () => {
    const unitFiles = testFiles().filter((file) => projectsOf(file).includes('unit'));

    const loadingCdk = unitFiles.filter((file) =>
      /from '(aws-cdk-lib[^']*|[^']*\/test\/stacks\/[^']*)'/.test(
        readFileSync(path.join(root, file), 'utf8'),
      ),
    );

    expect(loadingCdk).toEqual([]);
  });
});
