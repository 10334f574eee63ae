// What a lock records about the process that takes it, and what a later run asks about a holder: the
// host name, the machine's boot id and the PID namespace, which together say whether a recorded pid
// can be checked from here (docs/state.md#locking), and whether a pid still runs. The lock code takes
// these facts from here and nowhere else, so tests can place a holder in another namespace or boot.
import { readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessFacts {
  /** This process's id, as its own PID namespace numbers it. */
  pid: number;
  hostname(): string;
  /** Linux's boot id, or undefined where there is none to read. */
  bootId(): string | undefined;
  /**
   * This process's PID namespace as `pid:[INODE]` (the inode of /proc/self/ns/pid, what `readlink`
   * shows), or undefined where it cannot be read. Two processes share a namespace exactly when the
   * inodes are equal, on one machine during one boot (namespaces(7)); a pid means the same process
   * only within one namespace.
   */
  pidNamespace(): string | undefined;
  /** True when `pid` no longer runs in this PID namespace: it does not exist, or is a zombie. */
  isGone(pid: number): boolean;
}

/** The facts of this process, read once each. */
export function systemProcessFacts(): ProcessFacts {
  let boot: { id: string | undefined } | undefined;
  let namespace: { id: string | undefined } | undefined;
  return {
    pid: process.pid,
    hostname: () => hostname(),
    bootId() {
      boot ??= { id: readTrimmed("/proc/sys/kernel/random/boot_id") };
      return boot.id;
    },
    pidNamespace() {
      namespace ??= { id: readNamespace("/proc/self/ns/pid") };
      return namespace.id;
    },
    isGone(pid) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === "ESRCH";
      }
      return isZombie(pid);
    },
  };
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

function readNamespace(path: string): string | undefined {
  try {
    return `pid:[${statSync(path).ino}]`;
  } catch {
    return undefined;
  }
}

/** A killed process nobody has reaped yet (PID 1 of many containers never does) still answers kill 0. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}
