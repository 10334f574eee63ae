// A short, stable description of a file-system error, without Node's stack or syscall noise.

const DESCRIPTIONS = new Map<string, string>([
  ["EACCES", "permission denied"],
  ["EPERM", "permission denied"],
  ["ENOENT", "no such file (a broken symbolic link?)"],
  ["ELOOP", "too many levels of symbolic links (a link loop)"],
  ["EISDIR", "it is a directory"],
  ["ENOTDIR", "a path component is not a directory"],
  ["EIO", "input/output error"],
  ["EMFILE", "too many open files"],
  ["ENAMETOOLONG", "file name too long"],
]);

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const description = code === undefined ? undefined : DESCRIPTIONS.get(code);
  if (description !== undefined) return `${description} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
