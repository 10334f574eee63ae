// What the Action runs with, passed in so that tests can run it against a fake GitHub and a stand-in CLI.
import type { Environment } from "../github/github-context.js";

/** What the Action runs with: its environment, the bundled CLI and where its log goes. */
export interface ActionDependencies {
  env: Environment;
  /** The bundled CLI (dist-action/cli.mjs). */
  cliPath: string;
  /** stdout, where the runner reads workflow commands. */
  write: (text: string) => void;
  /** stderr, where the runner reads workflow commands too. */
  writeError: (text: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The dependencies as the Action's commands use them: `write` and `writeError` guarded, so that no
 * name or message in its log can start a workflow command, and `command` for the Action's own
 * commands (docs/github.md#workflow-commands).
 */
export interface ActionContext extends ActionDependencies {
  command: (lines: string) => void;
}
