// Manifest and live text is untrusted. These helpers put it into GitHub-flavoured Markdown so that no
// value can end a code fence, open HTML, mention a user or team, reference an issue or become a link.
// Each context has its own helper: inside a fence only the fence itself matters; in prose every ASCII
// punctuation character is backslash-escaped; inside an HTML block (`<summary>`) Markdown is not
// parsed, so entities are used instead. Everywhere, control characters, bidi overrides and line
// separators are first shown as `\uXXXX` (sanitizeText), so text stays on one line, in stored order.

import { sanitizeText } from "./format-value.js";

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
const ZERO_WIDTH_JOINER = "\u200d";

/**
 * Breaks what GitHub turns into notifications or links after rendering, with a zero-width joiner:
 * `@user` and `@org/team` mentions, `#123` and `GH-123` references, `scheme://` and `www.` autolinks.
 */
function breakReferences(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_JOINER}`)
    .replace(/#(?=\d)/g, `#${ZERO_WIDTH_JOINER}`)
    .replace(/\b(gh)-(?=\d)/gi, `$1-${ZERO_WIDTH_JOINER}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_JOINER}//`)
    .replace(/\b(www)\./gi, `$1${ZERO_WIDTH_JOINER}.`);
}

/** Untrusted text for a Markdown paragraph or list item: rendered literally, on one line. */
export function escapeMarkdownText(text: string): string {
  return breakReferences(sanitizeText(text)).replace(ASCII_PUNCTUATION, (char) => `\\${char}`);
}

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Untrusted text as an inline code span in Markdown context. GitHub never links or mentions in code. */
export function codeSpan(text: string): string {
  const content = sanitizeText(text);
  const delimiter = "`".repeat(longestRun(content, "`") + 1);
  const padded = /^[`\s]|[`\s]$/.test(content) || content === "" ? ` ${content} ` : content;
  return `${delimiter}${padded}${delimiter}`;
}

/** Untrusted text as `<code>` inside an HTML block. */
export function htmlCode(text: string): string {
  return `<code>${sanitizeText(text).replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char)}</code>`;
}

/**
 * A fenced code block whose fence is longer than any backtick run inside, so nothing can close it.
 * `fence` may be computed once (fenceFor) for a superset of the lines.
 */
export function fencedBlock(info: string, lines: string[], fence = fenceFor(lines)): string {
  return `${fence}${info}\n${lines.join("\n")}\n${fence}`;
}

/** The fence `fencedBlock` would use for these lines. */
export function fenceFor(lines: string[]): string {
  let longest = 0;
  for (const line of lines) longest = Math.max(longest, longestRun(line, "`"));
  return "`".repeat(Math.max(3, longest + 1));
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}
