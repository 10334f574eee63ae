// Entry point of the GitHub Action, bundled by esbuild into dist-action/index.mjs beside the bundled
// CLI (dist-action/cli.mjs). Nothing else imports this file.
import { fileURLToPath } from "node:url";
import { runAction } from "./run-action.js";

process.exitCode = await runAction({
  env: process.env,
  cliPath: fileURLToPath(new URL("./cli.mjs", import.meta.url)),
  write: (text) => process.stdout.write(text),
  writeError: (text) => process.stderr.write(text),
});
