import { functionContext, tableEnvironment } from '@quanta/runtime/config';
import { httpHandler } from '@quanta/runtime/http';
import { createFacadeRouter } from '@quanta/runtime/http/router';
import { DynamoDbRoleRepository } from '../adapters/DynamoDbRoleRepository';
import manifest from '../quantum';
import { UserProfiles } from '../service/UserProfiles';
import { facadeOperations } from './facadeOperations';

// Composition root of identity's `facade` function (REST API, IAM-authorized): once per cold start.
const { observability, table } = functionContext(tableEnvironment, process.env);
const profiles = new UserProfiles(new DynamoDbRoleRepository(table));

/** `facade`: `POST /ops/GetUser`, called by other quanta with SigV4. */
export const handler = httpHandler(createFacadeRouter(manifest.facade ?? [], facadeOperations(profiles)), {
  observability,
});
