// Creates a new file inside a directory and never anywhere else (`import --all --generate`,
// docs/state.md#importing-a-fleet-import---all): a folder on the way may be a symbolic link only if it
// leads to a place inside the directory, the file itself is created exclusively and never through a
// link (O_EXCL, O_NOFOLLOW), and once it is open, where it really is gets checked again, so a folder
// swapped for a link meanwhile is caught and the file taken back before anything is written in it.
import { constants } from "node:fs";
import { lstat, mkdir, open, readlink, realpath, rmdir, unlink } from "node:fs/promises";
import path from "node:path";

export interface CreatedFile {
  /** Where the file really is. */
  real: string;
  /** The folders made for it, outermost first. */
  folders: string[];
}

/** Thrown when a path would lead outside the directory; `where` is the part that does, as joined. */
export class OutsideDirectoryError extends Error {
  constructor(
    readonly where: string,
    readonly target: string,
  ) {
    super(`${where} leads to ${target}, outside the directory`);
  }
}

/**
 * The first part of `relative` (a `/`-separated path) that exists under `root` and leads outside it,
 * or is no folder where one is needed; undefined when every part is fine or does not exist yet.
 */
export async function findWayOut(root: string, relative: string): Promise<OutsideDirectoryError | undefined> {
  const realRoot = await realpath(root);
  let current = realRoot;
  for (const part of relative.split("/").slice(0, -1)) {
    const next = path.join(current, part);
    const real = await realpath(next).catch(() => undefined);
    if (real === undefined) return undefined;
    if (!isInside(realRoot, real)) return new OutsideDirectoryError(path.join(root, part), real);
    current = real;
  }
  return undefined;
}

/** Creates `relative` under `root` with `text`; throws OutsideDirectoryError, or EEXIST for a file in the way. */
export async function createFileInside(root: string, relative: string, text: string): Promise<CreatedFile> {
  const realRoot = await realpath(root);
  const parts = relative.split("/");
  const name = parts.pop() as string;
  const folders: string[] = [];
  let current = realRoot;
  try {
    for (const part of parts) {
      const next = path.join(current, part);
      await mkdir(next).then(
        () => folders.push(next),
        (error: NodeJS.ErrnoException) => {
          if (error.code !== "EEXIST") throw error;
        },
      );
      const real = await realpath(next);
      if (!isInside(realRoot, real)) throw new OutsideDirectoryError(next, real);
      current = real;
    }
    const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
    const handle = await open(path.join(current, name), flags, 0o644);
    try {
      const real = await openedPath(handle.fd, path.join(current, name));
      if (!isInside(realRoot, real)) {
        await unlink(real).catch(() => undefined);
        throw new OutsideDirectoryError(path.join(root, relative), real);
      }
      await handle.writeFile(text, "utf8");
      await handle.sync();
      return { real, folders };
    } finally {
      await handle.close();
    }
  } catch (error) {
    await removeFolders(folders);
    throw error;
  }
}

/** Takes back what createFileInside made: the files, then the folders made for them if left empty. */
export async function removeCreated(created: readonly CreatedFile[]): Promise<void> {
  await Promise.all(created.map(({ real }) => unlink(real).catch(() => undefined)));
  for (const { folders } of [...created].reverse()) await removeFolders(folders);
}

async function removeFolders(folders: readonly string[]): Promise<void> {
  for (const folder of [...folders].reverse()) {
    // Only an empty folder that is still a folder (not a link put in its place).
    const stats = await lstat(folder).catch(() => undefined);
    if (stats?.isDirectory()) await rmdir(folder).catch(() => undefined);
  }
}

/** Where an open file really is: Linux names it in /proc/self/fd; elsewhere, the path's real path. */
async function openedPath(fd: number, opened: string): Promise<string> {
  return readlink(`/proc/self/fd/${fd}`).catch(() => realpath(opened));
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
