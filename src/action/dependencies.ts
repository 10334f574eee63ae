// What the Action runs with, passed in so that tests can run it against a fake GitHub and a stand-in CLI.
import type { Environment } from "../github/github-context.js";

/** What the Action runs with: its environment, the bundled CLI and where its log goes. */
export interface ActionDependencies {
  env: Environment;
  /** The bundled CLI (dist-action/cli.mjs). */
  cliPath: string;
  /** stdout, where the runner reads workflow commands. */
  write: (text: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}
