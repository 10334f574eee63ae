// Reads a file a user named (a manifest, ark-sync.yaml, a policy, a local state), refusing anything that is
// not a regular file within a size limit before it could block or flood the process
// (docs/manifests.md#limits-and-hostile-input): a pipe would wait for a writer forever, /dev/zero never
// ends, and a /proc file reports size 0 while it holds text that is not ours to read. Shared by
// src/manifest/ and src/state/, which is why it lives here.
import { constants, type Stats } from "node:fs";
import { open, stat } from "node:fs/promises";
import { describeFsError } from "./describe-fs-error.js";

export type RegularFile =
  | { bytes: Uint8Array }
  | { code: "not_a_file" | "file_too_large"; reason: string }
  /** `errno`: the file system's code, e.g. ENOENT for a file that is not there. */
  | { code: "unreadable_file"; reason: string; errno?: string };

const NOT_A_FILE = "not a regular file (a pipe, socket or device)";

export async function readRegularFile(file: string, maxBytes: number): Promise<RegularFile> {
  try {
    // Stat before open, so a pipe or device is never opened; fstat after, as the path may have changed.
    const refused = checkStats(await stat(file), maxBytes);
    if (refused !== undefined) return refused;
    // O_NONBLOCK: a pipe put in the file's place meanwhile must not wait for a writer.
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stats = await handle.stat();
      const changed = checkStats(stats, maxBytes);
      if (changed !== undefined) return changed;
      // One byte more than the size it reports tells a file that holds more (a /proc file) apart.
      const buffer = new Uint8Array(stats.size + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > stats.size) {
          const reason = "not a regular file: it holds more than the size it reports (a /proc or /sys file?)";
          return { code: "not_a_file", reason };
        }
      }
      return { bytes: buffer.subarray(0, length) };
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    return {
      code: "unreadable_file",
      reason: describeFsError(error),
      ...(errno === undefined ? {} : { errno }),
    };
  }
}

function checkStats(stats: Stats, maxBytes: number): RegularFile | undefined {
  if (!stats.isFile()) return { code: "not_a_file", reason: NOT_A_FILE };
  if (stats.size > maxBytes) {
    const limit = `${maxBytes / (1024 * 1024)} MiB`;
    return { code: "file_too_large", reason: `larger than the ${limit} limit (${stats.size} bytes)` };
  }
  return undefined;
}
