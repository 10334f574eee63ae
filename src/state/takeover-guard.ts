// The guard that lets one run at a time take over a local lock whose holder is gone
// (docs/state.md#locking): `state.json.lock.takeover`, naming its owner as a lock does. It is held for
// the moment it takes to read the lock again and remove it, so a guard found in the way is either
// another run taking over right now or one left by a run killed in that moment. A guard whose owner is
// provably gone is taken over in turn; any other is reported, named, and left to a person.
import { randomBytes } from "node:crypto";
import { link, readFile, rename, unlink, writeFile } from "node:fs/promises";
import type { LockInfo } from "./backend.js";
import {
  assessHolder,
  type HolderStatus,
  type LockBlocker,
  parseLockInfo,
  serializeLockInfo,
} from "./lock-info.js";
import type { ProcessFacts } from "./process-facts.js";

export interface TakeoverGuard {
  /** The guard's path. */
  path: string;
  /** Who would hold it: the run that is taking the lock. */
  owner: LockInfo;
  facts: ProcessFacts;
  /** How a path is shown in messages. */
  show(path: string): string;
  warn(message: string): void;
}

/**
 * Runs `action` holding the guard and resolves with its result; resolves with what is in the way
 * when the guard is held by a run that may still be running, or cannot be read.
 */
export async function withTakeoverGuard<T>(
  guard: TakeoverGuard,
  action: () => Promise<T>,
): Promise<{ done: T } | { blocked: LockBlocker }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (await create(guard)) {
      try {
        return { done: await action() };
      } finally {
        await removeOwn(guard);
      }
    }
    const text = await readFile(guard.path, "utf8").catch(() => null);
    // Released between our attempt and our read: try again.
    if (text === null) continue;
    const holder = parseLockInfo(text);
    const status = holder === null ? null : assessHolder(holder, guard.facts);
    if (holder === null || status !== "gone") return { blocked: describeBlocker(guard, holder, status) };
    if (await removeDead(guard, holder)) {
      guard.warn(
        `removed the takeover guard ${guard.show(guard.path)} left by ${holder.who} (pid ${holder.pid}, ` +
          `${holder.operation} since ${holder.since}): that process no longer runs on this machine.`,
      );
    }
  }
  const shown = guard.show(guard.path);
  return {
    blocked: {
      lines: [`It was not taken over: other runs kept taking the takeover guard ${shown} meanwhile.`],
      hint: "Run again, or with --lock-timeout DURATION (e.g. --lock-timeout 1m).",
    },
  };
}

/** Creates the guard whole or not at all: written aside, then linked into place, which fails if one exists. */
async function create({ path, owner }: TakeoverGuard): Promise<boolean> {
  const temp = tempName(path);
  await writeFile(temp, serializeLockInfo(owner), { flag: "wx" });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    // ENOENT: a run that holds the lock cleared our temp file as a leftover; try again.
    if (["EEXIST", "ENOENT"].includes((error as NodeJS.ErrnoException).code ?? "")) return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function removeOwn({ path, owner }: TakeoverGuard): Promise<void> {
  const text = await readFile(path, "utf8").catch(() => null);
  if (text !== null && parseLockInfo(text)?.id === owner.id) await unlink(path).catch(() => undefined);
}

/**
 * Removes the guard of a dead owner, and only that one: it is moved aside first (atomic), and if what
 * was moved is not that guard (another run replaced it meanwhile) it is put back. False when it was not
 * removed by this run.
 */
async function removeDead({ path }: TakeoverGuard, dead: LockInfo): Promise<boolean> {
  const aside = tempName(path);
  try {
    await rename(path, aside);
  } catch {
    return false;
  }
  const moved = parseLockInfo(await readFile(aside, "utf8").catch(() => ""));
  if (moved?.id !== dead.id) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
  return moved?.id === dead.id;
}

/** A name removeLeftoverTempFiles (atomic-file.ts) clears under the lock if a kill leaves it behind. */
function tempName(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
}

function describeBlocker(
  guard: TakeoverGuard,
  holder: LockInfo | null,
  status: HolderStatus | null,
): LockBlocker {
  const shown = guard.show(guard.path);
  if (holder === null) {
    return {
      lines: [
        `It was not taken over: the takeover guard ${shown} is in the way, and who left it cannot be read ` +
          "(an older ark-sync, or a run killed while taking the lock over).",
      ],
      hint: `If no other ark-sync run is starting on this state, delete ${shown}; the next run then takes the lock over.`,
    };
  }
  const owner = `${holder.who} (pid ${holder.pid} on ${holder.host}, ${holder.operation} since ${holder.since})`;
  if (status === "running") {
    return {
      lines: [`It is being taken over right now by ${owner}, which holds the takeover guard ${shown}.`],
      hint: "Run again in a moment, or with --lock-timeout DURATION (e.g. --lock-timeout 1m) to wait for it.",
    };
  }
  return {
    lines: [
      `It was not taken over: the takeover guard ${shown} is in the way, left by ${owner}, ` +
        "and whether that process still runs cannot be told from here (another host, boot or PID namespace).",
    ],
    hint: `If that run is gone, delete ${shown}; the next run then takes the lock over.`,
  };
}
