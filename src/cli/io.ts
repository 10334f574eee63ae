// The CLI's streams: results on stdout, everything else on stderr. Colour only on a TTY, never with
// NO_COLOR or --no-color.

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether colour may be used on stdout / stderr. */
  colorOut: boolean;
  colorErr: boolean;
  isInteractive: boolean;
  /** Terminal width for wrapping prose, when stdout is a terminal. */
  width?: number;
}

export function processIo(options: { color: boolean }): Io {
  const allowed = options.color && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "");
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    colorOut: allowed && process.stdout.isTTY === true,
    colorErr: allowed && process.stderr.isTTY === true,
    isInteractive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    ...(process.stdout.columns ? { width: Math.min(process.stdout.columns, 120) } : {}),
  };
}
