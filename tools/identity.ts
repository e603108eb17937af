/**
 * `npm run identity -- <command>`: the operator's commands on identity's role grants. The first
 * admin of a deployment comes from here (production has no admin e-mails):
 *
 *   grant-role <email> <role>     give the user the role (`admin`); it applies at their next refresh
 *   revoke-role <email> <role>    take it away; every session of the user ends at once
 *   roles <email>                 show the user's roles
 *
 * Target, the local cloud by default (`npm start`, which records its DynamoDB endpoint in
 * `.quanta/local-cloud.json`):
 *   --endpoint <url>     another DynamoDB endpoint (or AWS_ENDPOINT_URL_DYNAMODB)
 *   --aws                the deployed identity table, with the default AWS credential chain
 *                        (AWS_PROFILE, SSO, environment…) of the identity quantum's account
 *   --region <region>    with --aws: the identity stack's region (default: the registry's, else AWS_REGION)
 *   --table <name>       the table (default `<prefix>-identity`, as `npm run plan` shows)
 *   -c key=value         registry overrides, as `cdk -c` (e.g. -c quanta:prefix=staging)
 *   --by <name>          recorded as `changedBy: operator:<name>` (default: your OS user name)
 *
 * It writes what the `api` function writes: the grant with its `RolesChanged` event in identity's
 * outbox (and `SessionRevoked` for each session a revocation ends), which the outbox relay publishes.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { roleSchema } from '@quanta/contracts/identity';
import { QuantaError } from '@quanta/runtime/errors';
import { plan } from '@quanta/runtime/manifest';
import { createObservability } from '@quanta/runtime/observability';
import { readLocalCloudState } from '../local/localCloudState';
import { readRegistry } from '../local/readRegistry';
import { DynamoDbRoleRepository } from '../quanta/identity/adapters/DynamoDbRoleRepository';
import { DynamoDbSessionRepository } from '../quanta/identity/adapters/DynamoDbSessionRepository';
import { DynamoDbUserRepository } from '../quanta/identity/adapters/DynamoDbUserRepository';
import { PowertoolsAuditLog } from '../quanta/identity/adapters/PowertoolsAuditLog';
import { RoleAdministration } from '../quanta/identity/service/RoleAdministration';
import { SessionRevocation } from '../quanta/identity/service/SessionRevocation';
import { manifests } from '../quanta/manifests';

const USAGE = `usage: npm run identity -- grant-role <email> <role> | revoke-role <email> <role> | roles <email>
         [--endpoint <url> | --aws [--region <region>]] [--table <name>] [-c key=value …] [--by <name>]
roles: ${roleSchema.options.join(', ')}`;

const root = path.resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    endpoint: { type: 'string' },
    aws: { type: 'boolean', default: false },
    region: { type: 'string' },
    table: { type: 'string' },
    context: { type: 'string', short: 'c', multiple: true },
    by: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const [command, email, roleArgument] = positionals;
const withRole = command === 'grant-role' || command === 'revoke-role';
if (email === undefined || (!withRole && command !== 'roles') || (withRole && roleArgument === undefined)) {
  fail(USAGE);
}
const role = withRole ? roleSchema.safeParse(roleArgument) : undefined;
if (role !== undefined && !role.success) fail(`Unknown role '${roleArgument}'.\n${USAGE}`);
if (values.aws && values.endpoint !== undefined) fail('Give --aws or --endpoint, not both.');
const by = values.by ?? userInfo().username;
if (!/^[\w.@-]{1,100}$/.test(by)) fail(`--by must be 1 to 100 letters, digits or . _ @ -; got '${by}'`);

// The registry (cdk.json, -c overrides) names the table and the access-token lifetime, as for cdk.
const overrides: Record<string, unknown> = {};
for (const pair of values.context ?? []) {
  const at = pair.indexOf('=');
  if (at < 1) fail(`-c expects key=value, got '${pair}'`);
  const raw = pair.slice(at + 1);
  overrides[pair.slice(0, at)] = /^\s*[[{]/.test(raw) ? JSON.parse(raw) : raw;
}
const local = values.aws ? undefined : readLocalCloudState(root);
const endpoint = values.aws
  ? undefined
  : (values.endpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? local?.dynamodb);
if (!values.aws && endpoint === undefined) {
  fail(
    'No local cloud is running: start it with `npm start`, or pass --endpoint <url>, or --aws for a deployment.',
  );
}
const usesRunningCloud = !values.aws && values.endpoint === undefined && local !== undefined;
if (usesRunningCloud && !('quanta:prefix' in overrides)) overrides['quanta:prefix'] = local.prefix;
const registry = readRegistry(root, overrides);
const identity = plan(manifests, registry).quanta.find((q) => q.name === 'identity');
if (identity === undefined) fail('The registry has no identity quantum.');
const region = values.region ?? identity.placement.region ?? process.env.AWS_REGION;
if (values.aws && region === undefined)
  fail('--aws needs a region: --region <region>, the registry, or AWS_REGION.');

// Composition root: identity's own adapters and services, pointed at the chosen table.
const client =
  endpoint === undefined
    ? new DynamoDBClient({ region })
    : new DynamoDBClient({
        endpoint,
        region: region ?? 'eu-west-1',
        // DynamoDB Local accepts any credentials; keep the machine's real ones out of it.
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
const table = {
  client,
  tableName: values.table ?? identity.table.name,
  ttlAttribute: identity.table.ttlAttribute,
};
const audit = new PowertoolsAuditLog(createObservability({ serviceName: 'identity' }).logger);
const users = new DynamoDbUserRepository(table);
const administration = new RoleAdministration({
  users,
  roles: new DynamoDbRoleRepository(table),
  revocation: new SessionRevocation({
    sessions: new DynamoDbSessionRepository(table),
    audit,
    accessTokenTtlSeconds: registry.auth.accessTokenTtlSeconds,
  }),
  audit,
});
const origin = { correlationId: `operator-${randomUUID()}`, changedBy: `operator:${by}` };

try {
  const userId = await administration.userIdOf(email);
  const result =
    command === 'roles'
      ? await administration.rolesOf(userId)
      : command === 'grant-role'
        ? await administration.grant(userId, role?.data ?? '', origin)
        : await administration.revoke(userId, role?.data ?? '', origin);
  console.log(
    `${email.trim().toLowerCase()} (${result.userId}) in ${table.tableName}: ${result.roles.join(', ')}`,
  );
} catch (error) {
  if (!(error instanceof QuantaError && error.status < 500)) throw error;
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = 1;
} finally {
  client.destroy();
}
