import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One broken rule: which file imports what, and why that is not allowed. */
export interface DependencyViolation {
  /** Path of the importing file, relative to the root. */
  readonly file: string;
  /** The import specifier as written. */
  readonly specifier: string;
  /** The rule it breaks, as a sentence. */
  readonly rule: string;
}

/** Packages a quantum may import from the monorepo: the contracts and the runtime kit, nothing else. */
const ALLOWED_WORKSPACE_PACKAGES = new Set(['@quanta/contracts', '@quanta/runtime']);
/** What `domain/` must never see: AWS SDKs and Lambda tooling (it is pure, I/O-free code). */
const AWS_PACKAGE =
  /^(@aws-sdk\/|aws-sdk$|@smithy\/|@aws-lambda-powertools\/|aws-cdk-lib|aws-jwt-verify|@middy\/)/;
const LAYERS = ['domain', 'service', 'adapters', 'functions'] as const;
type Layer = (typeof LAYERS)[number];
/** Layers each layer must not import (the seed's lib / internal / pkg / cmd rule). */
const FORBIDDEN_LAYERS: Readonly<Record<Layer, readonly Layer[]>> = {
  domain: ['service', 'adapters', 'functions'],
  service: ['adapters', 'functions'],
  adapters: ['functions'],
  functions: [],
};

/**
 * Checks the QMA dependency rules over a repository tree and returns every violation:
 * a quantum imports only `@quanta/contracts`, `@quanta/runtime` and its own files; inside a quantum
 * `domain/` imports no other layer and no AWS SDK, `service/` never imports `adapters/` or `functions/`;
 * `runtime/` and `shared-contracts/` never import a quantum.
 *
 * @example
 * ```ts
 * const violations = checkDependencies('/work/main');
 * if (violations.length > 0) throw new Error(violations.map((v) => `${v.file}: ${v.rule}`).join('\n'));
 * ```
 */
export function checkDependencies(root: string): DependencyViolation[] {
  const quanta = listDirs(path.join(root, 'quanta'));
  const violations: DependencyViolation[] = [];
  for (const file of listSourceFiles(root)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const owner = ownerOf(rel, quanta);
    if (owner === undefined) continue;
    for (const specifier of importsOf(file)) {
      const rule = brokenRule(root, rel, file, specifier, owner, quanta);
      if (rule !== undefined) violations.push({ file: rel, specifier, rule });
    }
  }
  return violations;
}

type Owner = { kind: 'quantum'; name: string; layer: Layer | undefined } | { kind: 'kit'; name: string };

function ownerOf(rel: string, quanta: readonly string[]): Owner | undefined {
  const parts = rel.split('/');
  if (parts[0] === 'quanta' && parts[1] !== undefined && quanta.includes(parts[1]) && parts.length > 2) {
    const layer = LAYERS.find((l) => l === parts[2]);
    return { kind: 'quantum', name: parts[1], layer };
  }
  if (parts[0] === 'runtime' || parts[0] === 'shared-contracts') return { kind: 'kit', name: parts[0] };
  return undefined;
}

function brokenRule(
  root: string,
  rel: string,
  file: string,
  specifier: string,
  owner: Owner,
  quanta: readonly string[],
): string | undefined {
  if (specifier.startsWith('.')) {
    const target = path
      .relative(root, path.resolve(path.dirname(file), specifier))
      .split(path.sep)
      .join('/');
    const targetParts = target.split('/');
    if (owner.kind === 'kit') {
      if (targetParts[0] !== owner.name) return `${owner.name} must not import outside itself (${target})`;
      return undefined;
    }
    if (targetParts[0] !== 'quanta' || targetParts[1] !== owner.name) {
      if (targetParts[0] === 'quanta' && targetParts[1] !== undefined && quanta.includes(targetParts[1])) {
        return `a quantum never imports another quantum (${owner.name} -> ${targetParts[1]})`;
      }
      return `a quantum imports only @quanta/contracts, @quanta/runtime and its own files (${target})`;
    }
    const targetLayer = LAYERS.find((l) => l === targetParts[2]);
    if (
      owner.layer !== undefined &&
      targetLayer !== undefined &&
      FORBIDDEN_LAYERS[owner.layer].includes(targetLayer)
    ) {
      return `${owner.layer}/ must not import ${targetLayer}/ (${rel} -> ${target})`;
    }
    return undefined;
  }
  const pkg = packageNameOf(specifier);
  if (pkg.startsWith('@quanta/')) {
    const name = pkg.slice('@quanta/'.length);
    if (owner.kind === 'kit') {
      if (owner.name === 'shared-contracts') return `shared-contracts must not import ${pkg}`;
      if (pkg !== '@quanta/contracts' && pkg !== '@quanta/runtime')
        return `runtime must not import a quantum (${pkg})`;
      return undefined;
    }
    if (quanta.includes(name) && name !== owner.name) {
      return `a quantum never imports another quantum (${owner.name} -> ${name})`;
    }
    if (!ALLOWED_WORKSPACE_PACKAGES.has(pkg) && name !== owner.name) {
      return `a quantum imports only @quanta/contracts and @quanta/runtime from the monorepo (${pkg})`;
    }
    return undefined;
  }
  if (owner.kind === 'quantum' && owner.layer === 'domain' && AWS_PACKAGE.test(specifier)) {
    return `domain/ must not import AWS SDKs or Lambda tooling (${specifier})`;
  }
  return undefined;
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Every module specifier a file imports, re-exports or dynamically imports (type-only included). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

function listSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'cdk.out') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
    }
  };
  for (const top of ['quanta', 'runtime', 'shared-contracts']) {
    try {
      walk(path.join(root, top));
    } catch {
      // A missing top-level folder has nothing to check.
    }
  }
  return out;
}
