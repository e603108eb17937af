/** Prints one benchmark result as a JSON line on stdout (the machine-readable output of `npm run bench`). */
export function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
