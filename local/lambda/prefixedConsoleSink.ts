import type { FunctionLogSink, LineWriter } from './FunctionLogSink';

/**
 * A sink that writes each line to the parent's stdout/stderr, prefixed with the function id,
 * so interleaved output of many functions stays readable.
 *
 * @example
 * ```ts
 * const sink = prefixedConsoleSink();
 * sink({ functionId: 'identity.api', stream: 'stdout', line: 'hello' }); // prints "[identity.api] hello"
 * ```
 */
export function prefixedConsoleSink(
  stdout: LineWriter = process.stdout,
  stderr: LineWriter = process.stderr,
): FunctionLogSink {
  return ({ functionId, stream, line }) => {
    (stream === 'stdout' ? stdout : stderr).write(`[${functionId}] ${line}\n`);
  };
}
