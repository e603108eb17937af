import type { TestProject } from 'vitest/node';
import { DynamoDbLocal } from '../../local/dynamodb/DynamoDbLocal';
import './ProvidedContext';
import { sharedAcrossProjects } from './sharedAcrossProjects';

/**
 * Starts one DynamoDB Local for the whole test run (a JVM takes ~2 s to start, too slow per file)
 * and provides its endpoint to the projects that need it; stops it after the last of them. The
 * `unit` project does not list this file, so `npm run test:unit` starts no Java.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = sharedAcrossProjects(
    'quanta.test.dynamodbLocal',
    () => {
      const dynamodb = new DynamoDbLocal();
      return { dynamodb, endpoint: dynamodb.start().then((info) => info.endpoint) };
    },
    ({ dynamodb }) => dynamodb.stop(),
  );
  project.provide('dynamodbEndpoint', await engine.value.endpoint);
  return engine.release;
}
