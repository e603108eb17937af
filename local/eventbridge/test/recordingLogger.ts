/** A logger that keeps what it is told. */
export function recordingLogger(): {
  readonly lines: { level: string; message: string }[];
  warn(message: string): void;
  error(message: string): void;
} {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}
