// The confirmation prompt on the terminal. Like Terraform, only the exact answer `yes` approves;
// Ctrl-C or an interrupt at the prompt declines.
import { createInterface } from "node:readline/promises";
import type { Confirm } from "../app/context.js";

export function createTerminalConfirm(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Confirm {
  return async (question, signal) => {
    const prompt = createInterface({ input, output, terminal: true });
    const cancelled = new AbortController();
    const cancel = () => cancelled.abort();
    prompt.on("SIGINT", cancel);
    signal.addEventListener("abort", cancel, { once: true });
    try {
      const answer = await prompt.question(question, { signal: cancelled.signal });
      return answer.trim() === "yes";
    } catch {
      output.write("\n");
      return false;
    } finally {
      signal.removeEventListener("abort", cancel);
      prompt.close();
    }
  };
}
