// How a command's handler runs its use case: the use case's module and the process context are
// loaded only now, so that `--help` loads nothing but yargs.
import type { AppContext, ExitCode, UseCase } from "../app/context.js";
import type { GlobalOptions } from "./global-options.js";

/** Where use cases run: this process by default; a test's own context when it runs the command line
 * in-process (src/cli/command-line.ts), reaching handlers under this key of yargs' parse context. */
export interface UseCaseHost {
  context(global: GlobalOptions): AppContext;
  exit(code: ExitCode): void;
}

export const HOST_KEY = "arkSyncUseCaseHost";

export async function runUseCase<Options>(
  load: () => Promise<{ run: UseCase<Options> }>,
  options: Options,
  global: GlobalOptions,
): Promise<void> {
  const host = (global as GlobalOptions & { [HOST_KEY]?: UseCaseHost })[HOST_KEY];
  if (host !== undefined) {
    const { run } = await load();
    host.exit(await run(options, host.context(global)));
    return;
  }
  const [{ run }, { processContext }] = await Promise.all([load(), import("./process-context.js")]);
  process.exitCode = await run(options, processContext(global));
}
