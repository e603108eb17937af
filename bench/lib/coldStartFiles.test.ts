import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coldStartFiles } from './coldStartFiles';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function write(files: Record<string, string>): string {
  dir = mkdtempSync(path.join(tmpdir(), 'cold-start-files-'));
  for (const [name, code] of Object.entries(files)) writeFileSync(path.join(dir, name), code);
  return dir;
}

describe('coldStartFiles', () => {
  it('follows static imports transitively and leaves out chunks only imported dynamically', () => {
    const root = write({
      'index.mjs':
        'import { createRequire as r } from \'node:module\';import{a as b}from"./chunk-A.mjs";import"./chunk-B.mjs";export const handler=()=>import("./chunk-LAZY.mjs");',
      'chunk-A.mjs': 'import{c}from"./chunk-C.mjs";export const a=c;',
      'chunk-B.mjs': 'globalThis.b=1;',
      'chunk-C.mjs': 'import{a}from"./chunk-A.mjs";export const c=1;',
      'chunk-LAZY.mjs': 'import{c}from"./chunk-C.mjs";import"./chunk-ONLY-LAZY.mjs";export const lazy=c;',
      'chunk-ONLY-LAZY.mjs': 'export const x=1;',
    });

    const files = coldStartFiles(path.join(root, 'index.mjs')).map((f) => path.basename(f));

    expect(files.sort()).toEqual(['chunk-A.mjs', 'chunk-B.mjs', 'chunk-C.mjs', 'index.mjs']);
  });
});
