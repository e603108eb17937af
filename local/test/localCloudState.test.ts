import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLocalCloudState, removeLocalCloudState, writeLocalCloudState } from '../localCloudState';

const roots: string[] = [];
function newRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'quanta-state-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const state = {
  pid: 4242,
  prefix: 'quanta',
  http: 'http://127.0.0.1:3000',
  dynamodb: 'http://127.0.0.1:41873',
};
const running = () => true;

describe('the local cloud’s state file', () => {
  it('gives the tools the endpoints of the running local cloud', () => {
    // Arrange
    const root = newRoot();

    // Act
    writeLocalCloudState(root, state);

    // Assert
    expect(readLocalCloudState(root, running)).toEqual(state);
  });

  it('reports no local cloud when there is no file, a broken one, or one whose process is gone', () => {
    // Arrange
    const missing = newRoot();
    const broken = newRoot();
    writeLocalCloudState(broken, state);
    writeFileSync(path.join(broken, '.quanta', 'local-cloud.json'), '{ "pid": ');
    const stale = newRoot();
    writeLocalCloudState(stale, state);

    // Act
    const found = [
      readLocalCloudState(missing, running),
      readLocalCloudState(broken, running),
      readLocalCloudState(stale, (pid) => pid !== state.pid),
    ];

    // Assert
    expect(found).toEqual([undefined, undefined, undefined]);
  });

  it('is removed only by the process that wrote it', () => {
    // Arrange
    const root = newRoot();
    writeLocalCloudState(root, state);

    // Act
    removeLocalCloudState(root, 1);
    const afterOther = readLocalCloudState(root, running);
    removeLocalCloudState(root, state.pid);
    const afterOwner = readLocalCloudState(root, running);

    // Assert
    expect(afterOther).toEqual(state);
    expect(afterOwner).toBeUndefined();
  });
});
