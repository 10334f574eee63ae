// Bounds on manifest input, so hostile files get a clear error instead of exhausting the process.

/** Largest manifest file read, in bytes (1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Deepest nesting of YAML collections accepted; a valid manifest needs 3. */
export const MAX_NESTING_DEPTH = 32;

/** Problems reported per file before the rest are summarised in one line. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

/** Deepest chain of bases below the directory given. A layout needs 2 or 3 (environment → region →
 * base); the limit bounds the chain a cycle check walks and a cycle message prints. */
export const MAX_BASE_DEPTH = 32;

/** Most directories one run resolves, bases of bases included, each once: each is scanned for
 * manifests, so this bounds the reading a hostile ark-sync.yaml can cause. */
export const MAX_BASE_DIRECTORIES = 256;

/** Most endpoints one run resolves through overlays, an endpoint counted once for each overlay it
 * passes through. Each is copied and checked again by every overlay above it, and bases reached by
 * two routes (a diamond) double them on every level: 17 levels of two would be 2^17 copies. */
export const MAX_OVERLAY_ENDPOINTS = 5_000;
