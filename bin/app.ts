import { App } from 'aws-cdk-lib';
import { manifests } from '../quanta/manifests';
import { buildQuantaStacks, readQuantaContext } from '../stacks';

// Wiring only: the registry comes from CDK context (cdk.json, `-c`), the manifests from quanta/manifests.ts.
const app = new App();
buildQuantaStacks(app, { ...readQuantaContext(app.node), manifests });
app.synth();
