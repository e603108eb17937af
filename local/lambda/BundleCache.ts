import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What a cached build records next to its files (`.bundle.json`). */
export interface CachedBundleInfo {
  /** Bytes each function loads, by function id. */
  readonly sizes: Readonly<Record<string, number>>;
}

/** A build folder held by this run: nobody prunes it until {@link CachedBundle.release}. */
export interface CachedBundle {
  readonly dir: string;
  readonly info: CachedBundleInfo;
  /** Drops this run's lease; the folder may be pruned afterwards. Idempotent. */
  release(): Promise<void>;
}

/** A folder to build into, leased from the start. */
export interface BuildReservation {
  readonly dir: string;
  /** This run's lease file, relative to `dir` (it moves with the folder). */
  readonly lease: string;
  /** `Date.now()` when it was reserved: an input modified after this may not match the output. */
  readonly startedAt: number;
}

/** Options of {@link BundleCache}. */
export interface BundleCacheOptions {
  /** The cache folder, e.g. `<root>/node_modules/.cache/quanta-local-bundles`. */
  readonly dir: string;
  /** How many unleased builds to keep besides the current one. @default 3 */
  readonly keep?: number;
  /**
   * How close to a build (or a recorded stamp) a file may have changed and still be trusted: an edit
   * this recent may fall within one tick of a coarse filesystem clock. @default 2000
   */
  readonly racyWindowMs?: number;
}

/** What went into a key: files by their content, folders by their listing. */
interface KeyInputs {
  readonly files: readonly string[];
  readonly folders: readonly string[];
}

/** A file's or folder's hash, with the stat fields that show it has not changed since. */
interface Stamp {
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

/** The manifest of the last build of one set of options (`<optionsKey>.json`). */
interface Manifest {
  readonly files: Readonly<Record<string, Stamp>>;
  readonly folders: Readonly<Record<string, Stamp>>;
}

interface Fingerprint extends Manifest {
  readonly key: string;
  /** The latest modification time among the files and folders. */
  readonly newestMtimeMs: number;
}

const LEASES = '.leases';
const INFO = '.bundle.json';
const KEY_LENGTH = 24;
/** A tmp folder is someone's build under way; older than this it is a crashed one. */
const ABANDONED_MS = 3_600_000;
/** Files hashed at once (an `open` each). */
const CONCURRENCY = 64;

/**
 * Bundles kept on disk across runs, keyed by everything that decides esbuild's output: the options
 * (with esbuild's version) and the inputs. The inputs are the files esbuild read (the metafile),
 * hashed by content, plus what decided how their imports resolved: the nearest `package.json`,
 * `tsconfig.json` and `package-lock.json` of each, and the listing of each folder holding an input (a
 * new file can shadow an import). A `tsconfig.json`'s `extends` target is not followed. Each build lives in a folder named by its key and is never rewritten, so
 * runs can share it; a run leases the folder it uses (`.leases/<pid>-…`), and pruning only removes
 * folders no live process holds, beyond the few most recently used.
 *
 * The manifest of the last build of a set of options lists which files and folders to hash; a
 * lookup hashes them again and finds the folder named by the result, if one exists. An edit that
 * changes which files are read changes an importing file, hence the key, so the list is always
 * enough. A build whose inputs were modified while it ran is used but not cached.
 *
 * @example
 * ```ts
 * const cache = new BundleCache({ dir: path.join(root, 'node_modules/.cache/quanta-local-bundles') });
 * const hit = await cache.lookup(optionsKey);
 * const bundle = hit ?? (await buildAndPublish(cache, optionsKey));
 * // ... run bundle.dir ...
 * await bundle.release();
 * ```
 */
export class BundleCache {
  readonly #dir: string;
  readonly #keep: number;
  readonly #racyWindowMs: number;

  constructor(options: BundleCacheOptions) {
    this.#dir = path.resolve(options.dir);
    this.#keep = options.keep ?? 3;
    this.#racyWindowMs = options.racyWindowMs ?? 2_000;
  }

  /** The folder of an earlier build whose inputs all hash as they did, leased; undefined otherwise. */
  async lookup(optionsKey: string): Promise<CachedBundle | undefined> {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(this.#manifestPath(optionsKey), 'utf8')) as Manifest;
    } catch {
      return undefined;
    }
    const fingerprint = await fingerprintOf(optionsKey, manifest);
    const dir = path.join(this.#dir, fingerprint.key);
    const release = await lease(dir).catch(() => undefined);
    if (release === undefined) return undefined;
    // Read after leasing: a prune that raced us either left it or took it with its info file.
    const info = await readInfo(dir);
    if (info === undefined) {
      await release();
      return undefined;
    }
    await touch(dir);
    // Files that changed and changed back: record their new stamps so the next lookup skips them.
    const refreshed = recordable(fingerprint, this.#racyWindowMs);
    if (JSON.stringify(refreshed) !== JSON.stringify(manifest))
      await writeAtomically(this.#manifestPath(optionsKey), JSON.stringify(refreshed));
    return { dir, info, release };
  }

  /** A new folder to build into, already leased so that no prune takes it. */
  async reserve(): Promise<BuildReservation> {
    const dir = path.join(this.#dir, `tmp-${randomBytes(8).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    const file = await leaseFile(dir);
    return { dir, lease: path.relative(dir, file), startedAt: Date.now() };
  }

  /**
   * Moves a finished build to the folder of its key and records its inputs (`inputs`: absolute
   * paths of the files esbuild read). When an input changed during the build, the folder is kept
   * for this run only. Returns the folder to run from; the reservation's lease moves with it.
   */
  async publish(
    reservation: BuildReservation,
    optionsKey: string,
    inputs: readonly string[],
    info: CachedBundleInfo,
  ): Promise<CachedBundle> {
    const { files, folders } = await resolutionInputsOf(inputs);
    const fingerprint = await fingerprintOf(optionsKey, {
      files: Object.fromEntries(files.map((file) => [file, UNKNOWN])),
      folders: Object.fromEntries(folders.map((folder) => [folder, UNKNOWN])),
    });
    await writeFile(path.join(reservation.dir, INFO), JSON.stringify(info));
    // An input modified this close to the build's start may have been read in either version.
    if (fingerprint.newestMtimeMs >= reservation.startedAt - this.#racyWindowMs) {
      const dir = path.join(this.#dir, `uncached-${path.basename(reservation.dir).slice(4)}`);
      await rename(reservation.dir, dir);
      return { dir, info, release: releaser(path.join(dir, reservation.lease)) };
    }
    const dir = path.join(this.#dir, fingerprint.key);
    let release: () => Promise<void>;
    try {
      await rename(reservation.dir, dir);
      release = releaser(path.join(dir, reservation.lease));
    } catch (error) {
      if (!isCode(error, 'ENOTEMPTY', 'EEXIST')) throw error;
      // Another run built the same inputs first: use its folder, drop ours.
      release = await lease(dir);
      await rm(reservation.dir, { recursive: true, force: true });
    }
    await touch(dir);
    await writeAtomically(
      this.#manifestPath(optionsKey),
      JSON.stringify(recordable(fingerprint, this.#racyWindowMs)),
    );
    await this.#prune(dir);
    return { dir, info, release };
  }

  /** Removes a reservation whose build failed. */
  async discard(reservation: BuildReservation): Promise<void> {
    await rm(reservation.dir, { recursive: true, force: true });
  }

  #manifestPath(optionsKey: string): string {
    return path.join(this.#dir, `${optionsKey}.json`);
  }

  /** Removes builds no live process leases, except `current` and the `keep` most recently used. */
  async #prune(current: string): Promise<void> {
    const entries = await readdir(this.#dir, { withFileTypes: true });
    const now = Date.now();
    const builds: Array<{ dir: string; usedAt: number }> = [];
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(this.#dir, entry.name);
      if (dir === current) continue;
      const usedAt = (await stat(dir).catch(() => undefined))?.mtimeMs ?? 0;
      if (entry.name.startsWith('tmp-')) {
        if (now - usedAt > ABANDONED_MS && !(await isLeased(dir)))
          await rm(dir, { recursive: true, force: true });
        continue;
      }
      builds.push({ dir, usedAt });
    }
    builds.sort((a, b) => b.usedAt - a.usedAt);
    let kept = 0;
    for (const build of builds) {
      const uncached = path.basename(build.dir).startsWith('uncached-');
      if (!uncached && kept < this.#keep) {
        kept++;
        continue;
      }
      if (!(await isLeased(build.dir))) await rm(build.dir, { recursive: true, force: true });
    }
  }
}

/** Files that decide how the files below them are resolved and compiled; the nearest of each counts. */
const GOVERNING_FILES = ['package.json', 'tsconfig.json', 'package-lock.json'];

/**
 * The files and folders that decided a build besides its options: every input, the nearest
 * `package.json`, `tsconfig.json` and lockfile above each (module format, `exports`, paths,
 * decorators, installed versions), and the folders holding inputs.
 */
async function resolutionInputsOf(inputs: readonly string[]): Promise<KeyInputs> {
  const files = new Set(inputs);
  const folders = new Set(inputs.map((file) => path.dirname(file)));
  const nearest = new Map<string, Promise<string | undefined>>();
  const nearestOf = (dir: string, name: string): Promise<string | undefined> => {
    const memoKey = `${dir}\0${name}`;
    let found = nearest.get(memoKey);
    if (found === undefined) {
      const candidate = path.join(dir, name);
      const parent = path.dirname(dir);
      found = stat(candidate).then(
        (s) => (s.isFile() ? candidate : parent === dir ? undefined : nearestOf(parent, name)),
        () => (parent === dir ? undefined : nearestOf(parent, name)),
      );
      nearest.set(memoKey, found);
    }
    return found;
  };
  const governing = await Promise.all(
    [...folders].flatMap((folder) => GOVERNING_FILES.map((name) => nearestOf(folder, name))),
  );
  for (const file of governing) if (file !== undefined) files.add(file);
  return { files: [...files].sort(), folders: [...folders].sort() };
}

/**
 * The manifest to write for `fingerprint`: a stamp taken so soon after its file changed that a
 * second change could share its timestamps (coarse clocks) is not trusted, and its file is hashed
 * again next time (git's "racy" entries).
 */
function recordable(fingerprint: Fingerprint, racyWindowMs: number): Manifest {
  const recent = Date.now() - racyWindowMs;
  const trusted = (stamps: Readonly<Record<string, Stamp>>): Record<string, Stamp> =>
    Object.fromEntries(
      Object.entries(stamps).map(([target, stamp]) => [
        target,
        Math.max(stamp.mtimeMs, stamp.ctimeMs) >= recent ? { ...UNKNOWN, hash: stamp.hash } : stamp,
      ]),
    );
  return { files: trusted(fingerprint.files), folders: trusted(fingerprint.folders) };
}

/** A stamp no stat matches: the file is hashed. */
const UNKNOWN: Stamp = { hash: '', size: -1, mtimeMs: -1, ctimeMs: -1, ino: -1 };

/**
 * The key of `optionsKey` with the current content of `previous.files` and listing of
 * `previous.folders`. A file or folder whose size, mtime, ctime and inode all equal its previous
 * stamp keeps its previous hash without being read, as git's index does: an edit always moves
 * ctime, which no tool can set back.
 */
async function fingerprintOf(optionsKey: string, previous: Manifest): Promise<Fingerprint> {
  let newestMtimeMs = 0;
  const stampOf = async (
    target: string,
    was: Stamp,
    hashOf: (target: string) => Promise<string>,
  ): Promise<Stamp> => {
    const stats = await stat(target).catch(() => undefined);
    if (stats === undefined) return { ...UNKNOWN, hash: 'missing' };
    newestMtimeMs = Math.max(newestMtimeMs, stats.mtimeMs);
    const { size, mtimeMs, ctimeMs, ino } = stats;
    const same = was.size === size && was.mtimeMs === mtimeMs && was.ctimeMs === ctimeMs && was.ino === ino;
    return { hash: same ? was.hash : await hashOf(target), size, mtimeMs, ctimeMs, ino };
  };
  const fileEntries = Object.entries(previous.files).sort(([a], [b]) => (a < b ? -1 : 1));
  const folderEntries = Object.entries(previous.folders).sort(([a], [b]) => (a < b ? -1 : 1));
  const files = await mapLimited(fileEntries, ([file, was]) => stampOf(file, was, hashFile));
  const folders = await mapLimited(folderEntries, ([folder, was]) => stampOf(folder, was, hashListing));
  const hash = createHash('sha256').update(`${optionsKey}\n`);
  for (const [i, [file]] of fileEntries.entries()) hash.update(`f ${file}\0${files[i]?.hash}\n`);
  for (const [i, [folder]] of folderEntries.entries()) hash.update(`d ${folder}\0${folders[i]?.hash}\n`);
  return {
    key: hash.digest('hex').slice(0, KEY_LENGTH),
    files: Object.fromEntries(fileEntries.map(([file], i) => [file, files[i] as Stamp])),
    folders: Object.fromEntries(folderEntries.map(([folder], i) => [folder, folders[i] as Stamp])),
    newestMtimeMs,
  };
}

async function hashFile(file: string): Promise<string> {
  const content = await readFile(file).catch(() => undefined);
  return content === undefined ? 'missing' : createHash('sha256').update(content).digest('hex');
}

async function hashListing(folder: string): Promise<string> {
  const names = await readdir(folder).catch(() => undefined);
  return names === undefined ? 'missing' : createHash('sha256').update(names.sort().join('\n')).digest('hex');
}

async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, lane));
  return results;
}

/** Takes a lease on `dir` (which must exist); resolves with its release. */
async function lease(dir: string): Promise<() => Promise<void>> {
  return releaser(await leaseFile(dir));
}

/** Writes a lease file of this process in `dir` (which must exist); resolves with its path. */
async function leaseFile(dir: string): Promise<string> {
  await stat(dir);
  const file = path.join(dir, LEASES, `${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
  return file;
}

function releaser(file: string): () => Promise<void> {
  let released: Promise<void> | undefined;
  return () => {
    released ??= rm(file, { force: true });
    return released;
  };
}

/** Whether a live process holds a lease on `dir`. */
async function isLeased(dir: string): Promise<boolean> {
  const holders = await readdir(path.join(dir, LEASES)).catch(() => [] as string[]);
  return holders.some((name) => isAlive(Number(name.split('-')[0])));
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return isCode(error, 'EPERM');
  }
}

async function readInfo(dir: string): Promise<CachedBundleInfo | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, INFO), 'utf8')) as CachedBundleInfo;
  } catch {
    return undefined;
  }
}

/** Marks `dir` as just used (pruning keeps the most recently used). */
async function touch(dir: string): Promise<void> {
  const now = new Date();
  await utimes(dir, now, now).catch(() => undefined);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

function isCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}
