import type { TestProject } from 'vitest/node';
import { DynamoDbLocal } from '../../local/dynamodb/DynamoDbLocal';
import './ProvidedContext';

/**
 * Starts one DynamoDB Local for the whole test run (a JVM takes ~2 s to start, too slow per file)
 * and provides its endpoint; stops it at teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamodb = new DynamoDbLocal();
  const { endpoint } = await dynamodb.start();
  project.provide('dynamodbEndpoint', endpoint);
  return async () => {
    await dynamodb.stop();
  };
}
