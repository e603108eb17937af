import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of an {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** Resource name prefix. */
  readonly prefix: string;
  /** The quantum holding the key. */
  readonly quantum: string;
  /** Production keeps the key when the stack is deleted (data encrypted with it stays readable). */
  readonly production: boolean;
}

/**
 * A quantum's data key for what it must keep but never in clear (`encryptionKey: true`): a
 * symmetric KMS key (`SYMMETRIC_DEFAULT`, `ENCRYPT_DECRYPT`) with yearly automatic rotation and alias
 * `alias/<prefix>-<quantum>-data`. Functions get it with `QuantumFunction.bindEncryptionKey()`.
 *
 * @example
 * ```ts
 * const key = new EncryptionKey(this, 'EncryptionKey', { prefix: 'quanta', quantum: 'orders', production: false });
 * fn.bindEncryptionKey(key.key);
 * ```
 */
export class EncryptionKey extends Construct {
  /** The key. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Data encryption key of ${props.quantum}`,
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
      enableKeyRotation: true,
      alias: `alias/${props.prefix}-${props.quantum}-data`,
      // Deleting the key makes every value it encrypted unreadable: production keeps it.
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(props.production ? 30 : 7),
    });
  }
}
