import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'cdk.out/**', '.quanta/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    // One DynamoDB Local for the whole run; tests read its endpoint with inject('dynamodbEndpoint').
    globalSetup: ['test/setup/globalSetup.ts'],
  },
});
