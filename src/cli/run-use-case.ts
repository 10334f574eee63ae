// How a command's handler runs its use case: the use case's module and the process context are
// loaded only now, so that `--help` loads nothing but yargs.
import type { UseCase } from "../app/context.js";
import type { GlobalOptions } from "./global-options.js";

export async function runUseCase<Options>(
  load: () => Promise<{ run: UseCase<Options> }>,
  options: Options,
  global: GlobalOptions,
): Promise<void> {
  const [{ run }, { processContext }] = await Promise.all([load(), import("./process-context.js")]);
  process.exitCode = await run(options, processContext(global));
}
