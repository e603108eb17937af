import type { QuantumManifest } from '@quanta/runtime/manifest';
import catalog from './catalog/quantum';
import chat from './chat/quantum';
import identity from './identity/quantum';
import orders from './orders/quantum';
import payments from './payments/quantum';
import platform from './platform/quantum';

/**
 * Every quantum's manifest, by name. Only wiring code (bin/, stacks/, local/, test/) imports this;
 * a quantum never does.
 */
export const manifests: Readonly<Record<string, QuantumManifest>> = {
  platform,
  identity,
  catalog,
  payments,
  orders,
  chat,
};
