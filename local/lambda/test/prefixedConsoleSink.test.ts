import { describe, expect, it } from 'vitest';
import { prefixedConsoleSink } from '../FunctionLogSink';

describe('prefixedConsoleSink', () => {
  it('writes each line to stdout or stderr prefixed with the function id', () => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = prefixedConsoleSink(
      { write: (t: string) => out.push(t) },
      { write: (t: string) => err.push(t) },
    );

    sink({ functionId: 'identity.api', stream: 'stdout', line: 'hello' });
    sink({ functionId: 'identity.api', stream: 'stderr', line: 'oops' });

    expect(out).toEqual(['[identity.api] hello\n']);
    expect(err).toEqual(['[identity.api] oops\n']);
  });
});
