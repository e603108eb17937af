import { defineConfig } from 'vitest/config';

/**
 * Test tiers (docs/decisions.md D36): a test file's name or folder says its tier.
 * - `*.int.test.ts` — integration: a real local engine (DynamoDB Local, a server on loopback,
 *   fauxqs, Lambda worker threads, the CDK CLI).
 * - under `test/e2e/`, or `*.e2e.test.ts` elsewhere — e2e: a whole local cloud.
 * - under `test/stacks/` — stacks: CDK assertions on synthesized templates. Unit tests in kind,
 *   kept apart because synthesizing is slow (17 s; the rest of unit takes 7 s).
 * - any other `*.test.ts` — unit: in-process only (no socket, no process but esbuild's, no worker,
 *   so no Java and no local cloud); `test/setup/unitSandbox.ts` fails a unit or stacks test that
 *   tries one.
 */
const INTEGRATION = ['**/*.int.test.ts'];
const E2E = ['test/e2e/**/*.test.ts', '**/*.e2e.test.ts'];
const STACKS = ['test/stacks/**/*.test.ts'];
const IGNORED = ['**/node_modules/**', 'cdk.out/**', '.quanta/**'];
/**
 * The heaviest end-to-end files (a 1,000-order flash sale, 500 orders under injected failures, and
 * the browser tests, `*.browser.test.ts`, which add headless Chromium to a local cloud) each saturate
 * both cores; paired with each other they starve both, so they run one at a time after everything
 * else, which runs two files at a time.
 */
const HEAVY = [
  'test/e2e/flashSale.local.test.ts',
  'test/e2e/conservation.local.test.ts',
  // Headless Chromium beside a local cloud: one browser file at a time, never next to another cloud.
  'test/e2e/**/*.browser.test.ts',
];
/** One temporary directory for the run (`TMPDIR`), removed when the run ends, whatever ran. */
const RUN_TEMP_DIR = ['test/setup/runTempDir.ts'];
/** One DynamoDB Local for the run, only when a project that needs it runs. */
const DYNAMODB_LOCAL = [...RUN_TEMP_DIR, 'test/setup/globalSetup.ts'];
/**
 * Enforces the unit rules (no network, no process but esbuild's, no worker). The sandboxed tiers
 * also share modules between the files of a worker (`isolate: false`): loading the AWS SDK, zod and
 * aws-cdk-lib once per worker instead of once per file makes `npm run test:unit` four times
 * faster, and DESIGN.md §7 rule 9 (no module-level singletons) keeps the files apart.
 */
const SANDBOX = ['test/setup/unitSandbox.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file is in exactly one project (test/architecture/testTiers.test.ts). Everything but
    // the heavy pair shares group 0, two files at a time whatever their tier.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...IGNORED, ...INTEGRATION, ...E2E, ...STACKS],
          globalSetup: RUN_TEMP_DIR,
          setupFiles: SANDBOX,
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'stacks',
          include: STACKS,
          exclude: [...IGNORED, ...INTEGRATION],
          globalSetup: RUN_TEMP_DIR,
          setupFiles: SANDBOX,
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          exclude: IGNORED,
          globalSetup: DYNAMODB_LOCAL,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          exclude: [...IGNORED, ...HEAVY],
          globalSetup: DYNAMODB_LOCAL,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-heavy',
          include: HEAVY,
          exclude: IGNORED,
          globalSetup: DYNAMODB_LOCAL,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
