// The job summary ($GITHUB_STEP_SUMMARY): GitHub shows at most 1 MiB per step and drops a larger
// upload whole, so what is appended is fitted to what the step has already written.
import { appendFile, stat } from "node:fs/promises";

export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Bytes still free in this step's summary file. */
export async function remainingSummaryBytes(path: string): Promise<number> {
  try {
    return Math.max(0, STEP_SUMMARY_LIMIT_BYTES - (await stat(path)).size);
  } catch {
    return STEP_SUMMARY_LIMIT_BYTES;
  }
}

export async function appendStepSummary(path: string, markdown: string): Promise<void> {
  await appendFile(path, markdown.endsWith("\n") ? markdown : `${markdown}\n`, "utf8");
}
