// The confirmation prompt, as a function the apply command is given (tests pass their own). Like
// Terraform, only the exact answer `yes` approves; Ctrl-C or an interrupt at the prompt declines.
import { createInterface } from "node:readline/promises";

/** Asks `question`; resolves true only for the answer `yes`, false when `signal` aborts first. */
export type Confirm = (question: string, signal: AbortSignal) => Promise<boolean>;

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

export const applyQuestion = [
  "Do you want to perform these actions?",
  "  ark-sync will perform the actions described above.",
  "  Only 'yes' will be accepted to approve.",
  "",
  "  Enter a value: ",
].join("\n");
