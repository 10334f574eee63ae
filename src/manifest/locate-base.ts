// Where a base named in `bases:` is, and whether it may be read (docs/manifests.md#overlays-ark-syncyaml):
// an existing directory inside the repository that holds the overlay, also after symbolic links are
// followed. Checked before anything is read there: `bases: [/]` would otherwise scan the whole machine.
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { quote } from "./quote.js";
import { isWithin } from "./repository-root.js";

/** The base's real path, or why it cannot be a base. `root`: the real path of the repository. */
export async function locateBase(
  base: string,
  root: string,
): Promise<{ real: string } | { problem: string; outside?: true }> {
  let real: string;
  try {
    real = await realpath(base);
  } catch {
    return { problem: `base ${quote(base)} does not exist` };
  }
  if (!isWithin(root, real)) {
    const through = real === path.resolve(base) ? "" : ` (it leads to ${quote(real)})`;
    return {
      problem: `base ${quote(base)} lies outside the repository ${quote(root)}${through}; bases must be in the repository that holds the directory`,
      outside: true,
    };
  }
  const isDirectory = await stat(real).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  return isDirectory ? { real } : { problem: `base ${quote(base)} is not a directory` };
}
