// The manual's links stay true: every relative link in README.md and docs/ names a file that exists,
// and every #anchor a heading of that file (GitHub's slugs: lower case, punctuation dropped, spaces
// as hyphens, a repeated heading numbered).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoRoot } from "../state/helpers.js";

/** Calls `visit` with each line outside fenced code blocks (CommonMark: an opening fence's info
 * string has no backtick; the closing fence is the same character, at least as long). */
function proseLines(file: string, visit: (line: string, index: number) => void): void {
  let fence: string | null = null;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, index) => {
      if (fence === null) {
        const open = /^ {0,3}(`{3,}|~{3,})([^`]*)$/.exec(line);
        if (open) fence = open[1] ?? null;
        else visit(line, index);
      } else if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(line)) {
        fence = null;
      }
    });
}

function markdownFiles(): string[] {
  const docs = readdirSync(join(repoRoot, "docs"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(repoRoot, "docs", name));
  return [join(repoRoot, "README.md"), ...docs];
}

/** GitHub's anchors for a Markdown file's headings, outside code fences. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  proseLines(file, (line) => {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) return;
    const slug = (heading[1] ?? "")
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  });
  return anchors;
}

/** `[text](target)` links outside code, with their line numbers. */
function linksOf(file: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  proseLines(file, (text, index) => {
    const outsideCode = text.replace(/`+[^`]*`+/g, "");
    for (const match of outsideCode.matchAll(/\]\(([^)\s]+)\)/g)) {
      links.push({ target: match[1] ?? "", line: index + 1 });
    }
  });
  return links;
}

test("every relative link and anchor in README.md and docs/ resolves", () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of markdownFiles()) {
    for (const { target, line } of linksOf(file)) {
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      checked += 1;
      const [path = "", anchor] = target.split("#");
      const resolved = path === "" ? file : join(dirname(file), decodeURIComponent(path));
      const where = `${relative(repoRoot, file)}:${line}: ${target}`;
      if (!existsSync(resolved)) {
        broken.push(`${where} (no such file)`);
      } else if (anchor !== undefined && statSync(resolved).isFile() && !anchorsOf(resolved).has(anchor)) {
        broken.push(`${where} (no such heading)`);
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} links found: the scan is broken`);
  assert.equal(broken, []);
});

test("the slugs are GitHub's", () => {
  const file = join(repoRoot, "docs/github.md");
  const anchors = anchorsOf(file);
  assert.ok(anchors.has("many-directories-in-one-job-plan---all"), [...anchors].join(" "));
  assert.ok(anchors.has("labels"));
});

test.run();
