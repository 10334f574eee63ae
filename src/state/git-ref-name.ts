// Branch names from `--state git:BRANCH` reach git's command line, so they are checked first, with
// the rules of git-check-ref-format(1) for `--branch`, plus no leading '-' (never an option).

const maxBranchNameLength = 200;

/** Why `name` cannot be a state branch, or null when it can. */
export function checkBranchName(name: string): string | null {
  if (name === "") return "the branch name is empty";
  if (name.length > maxBranchNameLength)
    return `the branch name is longer than ${maxBranchNameLength} characters`;
  if (name.startsWith("-")) return "a branch name cannot start with '-'";
  if (name === "@" || name === "HEAD") return `${JSON.stringify(name)} cannot be a branch name`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: git forbids control characters in ref names
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) {
    return "a branch name cannot contain spaces, control characters or any of ~ ^ : ? * [ \\";
  }
  if (name.includes("..")) return "a branch name cannot contain '..'";
  if (name.includes("@{")) return "a branch name cannot contain '@{'";
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) {
    return "a branch name cannot start or end with '/' or contain '//'";
  }
  if (name.endsWith(".")) return "a branch name cannot end with '.'";
  for (const component of name.split("/")) {
    if (component.startsWith(".")) return "no part of a branch name may start with '.'";
    if (component.endsWith(".lock")) return "no part of a branch name may end with '.lock'";
  }
  return null;
}
