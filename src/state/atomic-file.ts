// Atomic file replacement: a temp file in the same folder, written and fsynced, renamed over the
// target, then the folder fsynced so the rename itself survives a power loss. A kill at any moment
// leaves the old file or the new one, never a torn one; at worst a temp file is left behind.
// (write-file-atomic does the same minus the folder fsync; it is not a dependency, and this is short.)
import { randomBytes } from "node:crypto";
import { open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const tempPattern = /\.tmp-\d+-[0-9a-f]{8}$/;

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const mode = await stat(path).then(
    (stats) => stats.mode & 0o777,
    () => 0o644,
  );
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dirname(path));
}

async function fsyncDirectory(directory: string): Promise<void> {
  // Windows cannot open a folder for fsync, and needs none for a rename to last.
  if (process.platform === "win32") return;
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes temp files that killed writers of `path` (or of its backup) left. Only safe under the lock. */
export async function removeLeftoverTempFiles(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(prefix) && tempPattern.test(name))
      .map((name) => rm(join(dirname(path), name), { force: true })),
  );
}
