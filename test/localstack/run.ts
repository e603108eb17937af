/**
 * `npm run test:localstack`: deploys every stack to LocalStack with cdklocal, then runs the
 * target-agnostic end-to-end suite against the deployed HTTP API.
 *
 *   docker compose -f docker-compose.localstack.yml up -d     (needs LOCALSTACK_AUTH_TOKEN)
 *   npm run test:localstack
 *
 * LOCALSTACK_ENDPOINT overrides http://localhost.localstack.cloud:4566. The same suite runs against a
 * real AWS deployment with QUANTA_E2E_BASE_URL=<HTTP API URL> (see README).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { namesOf } from '@quanta/runtime/manifest';
import { readRegistry } from '../../local/readRegistry';

const root = path.resolve(import.meta.dirname, '../..');
const endpoint = process.env.LOCALSTACK_ENDPOINT ?? 'http://localhost.localstack.cloud:4566';
const region = process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
const account = '000000000000';
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);
/** The end-to-end files that run against any target (the *.local.test.ts ones need the local cloud). */
const TARGET_AGNOSTIC_SUITES = [
  'test/e2e/identityFlow.test.ts',
  'test/e2e/commerceFlow.test.ts',
  'test/e2e/orderIdempotency.test.ts',
];

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): void {
  console.log(`$ ${path.basename(command)} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`${path.basename(command)} failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

try {
  const health = await fetch(`${endpoint}/_localstack/health`);
  if (!health.ok) throw new Error(`health check answered ${health.status}`);
} catch (error) {
  console.error(
    `LocalStack is not reachable at ${endpoint} (${(error as Error).message}).\n` +
      'Start it with `docker compose -f docker-compose.localstack.yml up -d` (set LOCALSTACK_AUTH_TOKEN first:\n' +
      'the platform uses API Gateway v2, which LocalStack serves only with a paid plan).',
  );
  process.exit(1);
}

// Every quantum in LocalStack's single account, so the same-account wiring is exercised.
const registry = readRegistry(root);
const quanta = Object.fromEntries(Object.keys(registry.quanta).map((q) => [q, { account, region }]));
// The suite's requests all come from this machine: lift identity's per-source limits (decision D46).
const environment = {
  ...registry.environment,
  identity: { ...registry.environment.identity, LOGIN_ATTEMPTS_PER_IP: '1000000', SIGNUPS_PER_IP: '1000000' },
};
const context = [
  '-c',
  `quanta=${JSON.stringify(quanta)}`,
  '-c',
  `quanta:environment=${JSON.stringify(environment)}`,
];
const cdkEnv = {
  AWS_ENDPOINT_URL: endpoint,
  AWS_ENDPOINT_URL_S3: endpoint.replace('://', '://s3.'),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_ENVAR_ALLOWLIST: 'AWS_REGION,AWS_DEFAULT_REGION',
};
run(bin('cdklocal'), ['bootstrap', `aws://${account}/${region}`, ...context], cdkEnv);
// Platform first: same-account rules need its bus (README, "Deploying").
run(bin('cdklocal'), ['deploy', 'Platform', '--require-approval', 'never', ...context], cdkEnv);
run(bin('cdklocal'), ['deploy', '--all', '--require-approval', 'never', ...context], cdkEnv);

const ssm = new SSMClient({
  endpoint,
  region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const parameter = await ssm.send(
  new GetParameterCommand({ Name: namesOf('platform', registry.prefix).httpApiUrlParameter }),
);
const baseUrl = parameter.Parameter?.Value;
if (baseUrl === undefined) throw new Error('The platform did not publish its HTTP API URL in SSM');
console.log(`Running the end-to-end suite against ${baseUrl}`);
run(bin('vitest'), ['run', ...TARGET_AGNOSTIC_SUITES], {
  QUANTA_E2E_BASE_URL: baseUrl,
  QUANTA_E2E_AUTHORIZER_TTL: String(registry.authorizerCacheTtlSeconds),
});
