// The runner's file and stdout commands: step outputs ($GITHUB_OUTPUT, in the heredoc form
// @actions/core writes), masks, and error annotations.
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { escapeData, escapeProperty } from "../github/annotations.js";
import type { Environment } from "../github/github-context.js";

export function setOutput(env: Environment, name: string, value: string): void {
  const path = env.GITHUB_OUTPUT;
  if (!path) return;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(path, `${name}<<${delimiter}\n${value}\n${delimiter}\n`, "utf8");
}

/** Asks the runner to mask a value in the log; short values would mask too much. */
export function maskCommand(value: string): string {
  return value.length >= 4 ? `::add-mask::${escapeData(value)}\n` : "";
}

export function errorCommand(message: string, title = "ark-sync"): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}\n`;
}
