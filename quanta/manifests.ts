import type { QuantumManifest } from '@quanta/runtime/manifest';
import identity from './identity/quantum';
import platform from './platform/quantum';

/**
 * Every quantum's manifest, by name. Only wiring code (bin/, stacks/, local/, test/) imports this;
 * a quantum never does.
 */
export const manifests: Readonly<Record<string, QuantumManifest>> = { platform, identity };
