// Reads a file ark-sync was told to read as configuration, policy or manifest, refusing anything that is
// not a small regular file before it could block or flood the process (docs/manifests.md#limits-and-hostile-input):
// a pipe would wait for a writer forever, /dev/zero never ends, and a /proc file reports size 0 while it
// holds text that is not ours to read.
import { constants, type Stats } from "node:fs";
import { open, stat } from "node:fs/promises";
import { describeFsError } from "./describe-fs-error.js";
import { MAX_FILE_BYTES } from "./limits.js";

export type RegularFile =
  | { bytes: Uint8Array }
  | { code: "unreadable_file" | "not_a_file" | "file_too_large"; reason: string };

const NOT_A_FILE = "not a regular file (a pipe, socket or device)";

export async function readRegularFile(file: string): Promise<RegularFile> {
  try {
    // Stat before open, so a pipe or device is never opened; fstat after, as the path may have changed.
    const refused = checkStats(await stat(file));
    if (refused !== undefined) return refused;
    // O_NONBLOCK: a pipe put in the file's place meanwhile must not wait for a writer.
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stats = await handle.stat();
      const changed = checkStats(stats);
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
    return { code: "unreadable_file", reason: describeFsError(error) };
  }
}

function checkStats(stats: Stats): RegularFile | undefined {
  if (!stats.isFile()) return { code: "not_a_file", reason: NOT_A_FILE };
  if (stats.size > MAX_FILE_BYTES) {
    return { code: "file_too_large", reason: `larger than the 1 MiB limit (${stats.size} bytes)` };
  }
  return undefined;
}
