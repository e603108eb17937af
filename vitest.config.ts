import { defineConfig } from 'vitest/config';

/**
 * The two heaviest end-to-end files (a 1,000-order flash sale, 500 orders under injected failures)
 * each saturate both cores with their own local cloud; paired with each other they starve both, so
 * they run one at a time after everything else, which runs two files at a time.
 */
const HEAVY = ['test/e2e/flashSale.local.test.ts', 'test/e2e/conservation.local.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'cdk.out/**', '.quanta/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One DynamoDB Local for the whole run; tests read its endpoint with inject('dynamodbEndpoint').
    globalSetup: ['test/setup/globalSetup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', 'cdk.out/**', '.quanta/**', ...HEAVY],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'heavy',
          include: HEAVY,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
