// The hidden first line that identifies ark-sync's sticky comment for one manifest directory:
// `<!-- ark-sync:comment dir=manifests -->`, and its apply result's: `<!-- ark-sync:result dir=manifests -->`. The directory is normalised (`./manifests/` and
// `manifests` are the same comment) and percent-encoded outside a safe set, so it can never end the
// HTML comment early.
import { posix } from "node:path";

export function commentMarker(directory: string): string {
  return `<!-- ark-sync:comment dir=${encodeDirectory(normalizeDirectory(directory))} -->`;
}

/** The marker of the comment that reports the directory's applies, apart from its plan comment. */
export function resultMarker(directory: string): string {
  return `<!-- ark-sync:result dir=${encodeDirectory(normalizeDirectory(directory))} -->`;
}

/** Whether a comment body starts with the marker of some directory's plan comment. */
export function startsWithAnyMarker(body: string): boolean {
  const firstLine = body.split(/\r?\n/, 1)[0] ?? "";
  return /^<!-- ark-sync:comment dir=[A-Za-z0-9._~/%-]+ -->$/.test(firstLine);
}

/** Whether a comment body starts with the marker line. A marker elsewhere in a body does not count. */
export function startsWithMarker(body: string, marker: string): boolean {
  const firstLine = body.split(/\r?\n/, 1)[0] ?? "";
  return firstLine === marker;
}

function normalizeDirectory(directory: string): string {
  const normalized = posix.normalize(directory.replace(/\\/g, "/")).replace(/\/+$/, "");
  return normalized === "" ? "." : normalized;
}

function encodeDirectory(directory: string): string {
  return directory.replace(/[^A-Za-z0-9._~/-]/gu, (char) => encodeURIComponent(char));
}
