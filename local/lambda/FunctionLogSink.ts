/** One line a function wrote (or the runtime wrote about it, e.g. an `Invoke Error`). */
export interface FunctionLogLine {
  readonly functionId: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

/** Where function output goes (CloudWatch Logs, locally). */
export type FunctionLogSink = (line: FunctionLogLine) => void;

/** Minimal writable target, so tests can capture output. */
export interface LineWriter {
  write(text: string): unknown;
}
