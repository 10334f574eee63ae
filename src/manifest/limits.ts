// Bounds on manifest input, so hostile files get a clear error instead of exhausting the process.

/** Largest manifest file read, in bytes (1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Deepest nesting of YAML collections accepted; a valid manifest needs 3. */
export const MAX_NESTING_DEPTH = 32;

/** Problems reported per file before the rest are summarised in one line. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;
