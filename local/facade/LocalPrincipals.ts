import { createHash, randomBytes } from 'node:crypto';
import { stackIdOf } from '@quanta/runtime/manifest';
import type { LocalCredentials } from '../lambda/LocalFunction';
import { UnknownPrincipalError } from './errors';

/**
 * One quantum's identity in the local cloud: the credentials all its functions sign with, and
 * what IAM would report for them. In AWS each function has its own role and Lambda's session name
 * is the function name; locally a quantum is one principal, because resource policies name quanta
 * (role patterns `<StackId>-*`, see DESIGN §3 and decision D9), not functions.
 */
export interface LocalPrincipal {
  readonly quantum: string;
  /** `LOCAL<QUANTUM>` and a random secret generated per local cloud. */
  readonly credentials: LocalCredentials;
  readonly accountId: string;
  /** A role id shaped like IAM's (`AROA` + 17 characters), stable per quantum. */
  readonly roleId: string;
  /** `<StackId>-LocalExecutionRole`: matches the stack's `<StackId>-*` role pattern. */
  readonly roleName: string;
  /** `<prefix>-<quantum>`. */
  readonly sessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<roleName>/<sessionName>`, the caller's `aws:PrincipalArn` session form. */
  readonly userArn: string;
  /** `<roleId>:<sessionName>`, as API Gateway reports `identity.caller` and `identity.user` for a role session. */
  readonly caller: string;
}

/** Options of {@link LocalPrincipals.generate}. */
export interface LocalPrincipalsOptions {
  /** Account of every principal. */
  readonly accountId: string;
  /** Resource prefix, used in session names. */
  readonly prefix: string;
  /** Source of the secrets. @default crypto.randomBytes */
  readonly random?: (bytes: number) => Buffer;
}

/**
 * The local cloud's directory of quantum identities: generated once per local cloud, handed to the
 * Lambda runtime (each function gets its quantum's credentials) and to the facade gateway (which
 * looks the signer up by access key id).
 *
 * @example
 * ```ts
 * const principals = LocalPrincipals.generate(['orders', 'catalog'], { accountId: '000000000000', prefix: 'quanta' });
 * principals.credentialsOf('orders').accessKeyId; // 'LOCALORDERS'
 * principals.byAccessKeyId('LOCALORDERS')?.quantum; // 'orders'
 * ```
 */
export class LocalPrincipals {
  readonly #byQuantum: ReadonlyMap<string, LocalPrincipal>;
  readonly #byAccessKeyId: ReadonlyMap<string, LocalPrincipal>;

  constructor(principals: readonly LocalPrincipal[]) {
    this.#byQuantum = new Map(principals.map((p) => [p.quantum, p]));
    this.#byAccessKeyId = new Map(principals.map((p) => [p.credentials.accessKeyId, p]));
  }

  /** A principal with fresh random secrets for each quantum. */
  static generate(quanta: readonly string[], options: LocalPrincipalsOptions): LocalPrincipals {
    const random = options.random ?? randomBytes;
    return new LocalPrincipals(
      quanta.map((quantum) => {
        const roleName = `${stackIdOf(quantum)}-LocalExecutionRole`;
        const sessionName = `${options.prefix}-${quantum}`;
        const roleId = `AROA${createHash('sha256').update(quantum).digest('hex').slice(0, 17).toUpperCase()}`;
        return {
          quantum,
          credentials: {
            accessKeyId: `LOCAL${quantum.toUpperCase()}`,
            secretAccessKey: random(30).toString('base64'),
          },
          accountId: options.accountId,
          roleId,
          roleName,
          sessionName,
          userArn: `arn:aws:sts::${options.accountId}:assumed-role/${roleName}/${sessionName}`,
          caller: `${roleId}:${sessionName}`,
        };
      }),
    );
  }

  /** The principal of `quantum`; throws {@link UnknownPrincipalError} when there is none. */
  of(quantum: string): LocalPrincipal {
    const principal = this.#byQuantum.get(quantum);
    if (principal === undefined) {
      throw new UnknownPrincipalError(
        `No local principal for quantum '${quantum}'; known: ${[...this.#byQuantum.keys()].join(', ') || '(none)'}`,
      );
    }
    return principal;
  }

  /** The credentials of `quantum`'s functions. */
  credentialsOf(quantum: string): LocalCredentials {
    return this.of(quantum).credentials;
  }

  /** The principal that owns `accessKeyId`, if any. */
  byAccessKeyId(accessKeyId: string): LocalPrincipal | undefined {
    return this.#byAccessKeyId.get(accessKeyId);
  }

  /** Every principal. */
  get all(): readonly LocalPrincipal[] {
    return [...this.#byQuantum.values()];
  }
}
