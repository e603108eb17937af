/** One line a function wrote (or the runtime wrote about it, e.g. an `Invoke Error`). */
export interface FunctionLogLine {
  readonly functionId: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

/** Where function output goes (CloudWatch Logs, locally). */
export type FunctionLogSink = (line: FunctionLogLine) => void;

/**
 * What the runtime does with function output: hand each line to a sink, or `'discard'` it inside the
 * worker before it is written, so a `--quiet` run pays neither the copy to the main thread nor the
 * formatting of lines nobody reads.
 *
 * @example
 * ```ts
 * const output: FunctionOutput = quiet ? 'discard' : prefixedConsoleSink();
 * ```
 */
export type FunctionOutput = FunctionLogSink | 'discard';

/** Minimal writable target, so tests can capture output. */
export interface LineWriter {
  write(text: string): unknown;
}

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
