import { plan } from '@quanta/runtime/manifest';
import { App } from 'aws-cdk-lib';
import { manifests } from '../quanta/manifests';
import { buildQuantaStacks, readQuantaContext } from '../stacks';

// Composition root of the CDK app, wiring only: the registry comes from CDK context (cdk.json, `-c`),
// the manifests from quanta/manifests.ts; plan() resolves them once and the stacks render the plan,
// exactly as local/main.ts hands the same plan to the local cloud.
const app = new App();
const { registry, ...options } = readQuantaContext(app.node);
buildQuantaStacks(app, { ...options, plan: plan(manifests, registry) });
app.synth();
