// The environment variables a run was given, as the outside world passes them in (never read from
// `process` below the CLI).
export type Environment = Readonly<Record<string, string | undefined>>;
