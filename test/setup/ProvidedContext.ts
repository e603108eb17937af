/**
 * Values the global setup provides to every test file (`inject('dynamodbEndpoint')`).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local shared by the whole test run; tests create uniquely named tables. */
    dynamodbEndpoint: string;
  }
}

export {};
