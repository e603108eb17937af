import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SynthError } from './errors';

/** Properties of a {@link SigningKey}. */
export interface SigningKeyProps {
  /** Resource name prefix. */
  readonly prefix: string;
  /** The quantum holding the key. */
  readonly quantum: string;
  /** Production keeps the key when the stack is deleted. */
  readonly production: boolean;
  /**
   * ARNs of earlier keys whose public keys must still be published in the JWKS (rotation):
   * tokens they signed stay valid until they expire. @default none
   */
  readonly previousKeyArns?: readonly string[];
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;

/**
 * A quantum's ES256 token signing key: a KMS asymmetric key (`ECC_NIST_P256`, `SIGN_VERIFY`) with
 * alias `alias/${prefix}-${quantum}-signing`, plus the previous keys still published during a rotation.
 * The private key never leaves KMS. Asymmetric keys have no automatic rotation: rotate by deploying
 * a new key and passing the old ARN as `quanta:previousSigningKeyArn` until its tokens have expired.
 *
 * @example
 * ```ts
 * const key = new SigningKey(this, 'SigningKey', { prefix: 'quanta', quantum: 'identity', production: false });
 * api.bindSigningKeys(key.keys);
 * ```
 */
export class SigningKey extends Construct {
  /** The key that signs. */
  readonly key: kms.Key;
  /** The signing key first, then the previous keys (the order of `SIGNING_KEY_ARNS`). */
  readonly keys: readonly kms.IKey[];

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `ES256 access-token signing key of ${props.quantum}`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      alias: `alias/${props.prefix}-${props.quantum}-signing`,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(props.production ? 30 : 7),
    });
    const previous = (props.previousKeyArns ?? []).map((arn, i) => {
      if (!KEY_ARN.test(arn)) {
        throw new SynthError(
          `Previous signing key of '${props.quantum}' must be a KMS key ARN like arn:aws:kms:eu-west-1:111111111111:key/<uuid>; got '${arn}'`,
        );
      }
      return kms.Key.fromKeyArn(this, `PreviousKey${i}`, arn);
    });
    this.keys = [this.key, ...previous];
  }
}
