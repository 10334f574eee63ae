// Shared by the state tests: temporary folders, git run synchronously for setting up repositories,
// the recording Io, and small state builders.
import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StateResource } from "../../src/core/types.js";
import type { StateBackendOptions } from "../../src/state/backend.js";
import { type ProcessFacts, systemProcessFacts } from "../../src/state/process-facts.js";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export function makeTempDir(prefix: string): { path: string; remove(): void } {
  const path = realpathSync(mkdtempSync(join(tmpdir(), `ark-sync-${prefix}-`)));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Git for test setup, with an identity of its own, so the machine's configuration does not matter. */
export function git(cwd: string, args: string[], input?: string): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    input,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.com",
    },
  });
}

export { type RecordedIo, recordIo } from "../app/context.js";

/** Backend options for tests that expect no warnings: any shows on stderr, as it would for a user. */
export const quietState: StateBackendOptions = {
  warn: (message) => process.stderr.write(`Warning: ${message}\n`),
  env: {},
};

export function resource(endpointId: string, rpm = 10): StateResource {
  const name = endpointId.replace(/^ep-/, "");
  return {
    endpoint_id: endpointId,
    last_applied: { name, project_name: "default", rate_limit: { rpm } },
    applied_at: "2025-01-01T00:00:00.000Z",
    commit: "0123456789abcdef0123456789abcdef01234567",
  };
}

/** Awaits `promise` and returns what it rejected with; fails when it resolves. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; kind?: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; kind?: string; hint?: string };
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** This process's facts with some replaced: a run in another PID namespace, boot or host. */
export function factsWith(overrides: Partial<ProcessFacts>): ProcessFacts {
  return { ...systemProcessFacts(), ...overrides };
}
