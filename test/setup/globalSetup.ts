import type { TestProject } from 'vitest/node';
import { DynamoDbLocal } from '../../local/dynamodb/DynamoDbLocal';
import './ProvidedContext';

interface SharedEngine {
  readonly endpoint: Promise<string>;
  readonly dynamodb: DynamoDbLocal;
  users: number;
}

/**
 * Vitest calls this once per project that lists it (integration and e2e), all in its own process,
 * so the engine is kept on `globalThis`: the first project starts it, the last teardown stops it.
 */
const SHARED = Symbol.for('quanta.test.dynamodbLocal');
const shared = globalThis as { [SHARED]?: SharedEngine };

/**
 * Starts one DynamoDB Local for the whole test run (a JVM takes ~2 s to start, too slow per file)
 * and provides its endpoint to the projects that need it; stops it after the last of them. The
 * `unit` project does not list this file, so `npm run test:unit` starts no Java.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (shared[SHARED] === undefined) {
    const dynamodb = new DynamoDbLocal();
    shared[SHARED] = { dynamodb, endpoint: dynamodb.start().then((info) => info.endpoint), users: 0 };
  }
  const engine = shared[SHARED];
  engine.users += 1;
  project.provide('dynamodbEndpoint', await engine.endpoint);
  return async () => {
    engine.users -= 1;
    if (engine.users > 0) return;
    shared[SHARED] = undefined;
    await engine.dynamodb.stop();
  };
}
