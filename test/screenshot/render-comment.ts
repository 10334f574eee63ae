// Renders ark-sync's pull-request comment as a reviewer would see it: the comment body through a GFM
// renderer (marked), with CSS approximating GitHub's (diff fences coloured by their first character,
// alerts drawn as boxes, <details> closed), written as HTML, measured and screenshotted with headless
// Chromium. Prints each comment's length and rendered height (docs/github.md, "Big plans"). Not part
// of `npm test` (it needs Chromium: apt-get install -y chromium).
//
//   npm run screenshot -- [OUT_DIR] [small|big|hostile|applied ...]
// OUT_DIR defaults to $TMPDIR/ark-sync-screenshots. A screenshot stops at MAX_SHOT_HEIGHT pixels.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { marked } from "marked";
import { renderApplyResult } from "../../src/github/apply-result.js";
import { renderCommentBody } from "../../src/github/comment-body.js";
import { resultMarker } from "../../src/github/comment-marker.js";
import { hostilePlan, ISSUE_11_SIZES, sizedPlan, smallPlan } from "../github/plans.js";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const WIDTH = 1100;
const MAX_SHOT_HEIGHT = 4000;
const JOB_SUMMARY = {
  head: "8a1f0c2e9b7d4f6a3c5e1d0b9a8f7e6d5c4b3a29",
  hint: "[the job summary](https://github.com/acme/infra/actions/runs/42)",
  rules: [],
};

/** Each screenshot's comment body, with its marker line. */
const comments: Record<string, () => string> = {
  small: () => renderCommentBody(smallPlan(), "manifests", JOB_SUMMARY),
  big: () => renderCommentBody(sizedPlan(ISSUE_11_SIZES).plan, "manifests", JOB_SUMMARY),
  hostile: () => renderCommentBody(hostilePlan(), "manifests", JOB_SUMMARY),
  applied: () => `${resultMarker("manifests")}\n${APPLIED}`,
};

/** The outcome `apply --require-reviewed` writes in its own comment after a merge. */
const APPLIED = renderApplyResult(
  { kind: "applied", line: "Apply complete! Resources: 2 added, 1 changed, 2 destroyed." },
  {
    directory: "manifests",
    commit: "3f9c2e1d7a4b5c6d8e9f0a1b2c3d4e5f6a7b8c9d",
    runUrl: "https://github.com/acme/infra/actions/runs/43",
    wayForward: [],
  },
);

function page(markdown: string, name: string): string {
  const rendered = colourDiffs(drawAlerts(marked.parse(markdown, { gfm: true, async: false })));
  return `<!doctype html><html><head><meta charset="utf-8"><title>ark-sync comment (${name})</title><style>${CSS}</style></head>
<body><div class="comment"><div class="header"><b>github-actions</b> <span class="bot">bot</span> commented</div>
<div class="markdown-body">${rendered}</div></div>
<script>document.body.dataset.height = String(Math.ceil(document.body.getBoundingClientRect().height));</script></body></html>`;
}

/** GitHub draws `> [!CAUTION]` blockquotes as alerts; marked leaves them as plain blockquotes. */
function drawAlerts(html: string): string {
  return html.replace(
    /<blockquote>\s*<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/g,
    (_match, kind: string) =>
      `<blockquote class="alert alert-${kind.toLowerCase()}"><p class="alert-title">${kind[0]}${kind.slice(1).toLowerCase()}</p><p>`,
  );
}

/** GitHub colours a diff fence by the first character of each line. */
function colourDiffs(html: string): string {
  return html.replace(/<code class="language-diff">([\s\S]*?)<\/code>/g, (_match, code: string) => {
    const lines = code.replace(/\n$/, "").split("\n");
    const coloured = lines.map((line) => {
      const first = line.startsWith("&lt;") ? "<" : line[0];
      const kind =
        first === "+" ? "add" : first === "-" ? "del" : first === "!" ? "chg" : first === "#" ? "cmt" : "";
      return kind ? `<span class="${kind}">${line}</span>` : line;
    });
    return `<code class="language-diff">${coloured.join("\n")}\n</code>`;
  });
}

/** The page's height in CSS pixels, as laid out at WIDTH with every <details> closed. */
function pageHeight(htmlPath: string): number {
  const dom = chromium(["--dump-dom", pathToFileURL(htmlPath).href], 10_000);
  const height = /data-height="(\d+)"/.exec(dom)?.[1];
  if (height === undefined) throw new Error(`Chromium did not lay out ${htmlPath}`);
  return Number(height);
}

function screenshot(htmlPath: string, pngPath: string, height: number): void {
  chromium([`--screenshot=${pngPath}`, pathToFileURL(htmlPath).href], Math.min(height, MAX_SHOT_HEIGHT));
}

function chromium(args: string[], height: number): string {
  const profile = mkdtempSync(join(tmpdir(), "ark-sync-chromium-"));
  try {
    return execFileSync(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        `--user-data-dir=${profile}`,
        `--window-size=${WIDTH},${height}`,
        ...args,
      ],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"], timeout: 60_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const CSS = `
body { background: #f6f8fa; margin: 0; padding: 24px; font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328; }
.comment { max-width: 1000px; margin: 0 auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e; }
.header b { color: #1f2328; }
.bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 6px; font-size: 12px; }
.markdown-body { padding: 16px; }
.markdown-body h3 { font-size: 1.25em; margin: 0 0 16px; }
.markdown-body h4 { font-size: 1em; margin: 0 0 16px; }
.markdown-body p, .markdown-body ul, .markdown-body pre, .markdown-body blockquote, .markdown-body details { margin: 0 0 16px; }
.markdown-body code { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 85%; background: rgba(129,139,152,0.12); padding: 0.2em 0.4em; border-radius: 6px; }
.markdown-body pre { background: #f6f8fa; padding: 16px; overflow: auto; border-radius: 6px; line-height: 1.45; }
.markdown-body pre code { background: transparent; padding: 0; font-size: 85%; }
.markdown-body summary { cursor: pointer; }
.markdown-body table { border-collapse: collapse; margin: 0 0 16px; }
.markdown-body th, .markdown-body td { border: 1px solid #d1d9e0; padding: 6px 13px; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body hr { border: 0; height: 0.25em; background: #d1d9e0; margin: 24px 0; }
.markdown-body blockquote { border-left: 0.25em solid #d1d9e0; padding: 0 1em; color: #59636e; }
.markdown-body .alert { color: inherit; }
.alert-title { font-weight: 600; margin-bottom: 4px !important; }
.alert-caution { border-left-color: #cf222e; } .alert-caution .alert-title { color: #d1242f; }
.alert-warning { border-left-color: #9a6700; } .alert-warning .alert-title { color: #9a6700; }
.alert-note { border-left-color: #0969da; } .alert-note .alert-title { color: #0969da; }
.add { color: #116329; background: #dafbe1; display: inline-block; width: 100%; }
.del { color: #82071e; background: #ffebe9; display: inline-block; width: 100%; }
.chg { color: #953800; background: #ffd8b5; display: inline-block; width: 100%; }
.cmt { color: #59636e; }
sub { color: #59636e; }
`;

function main(): void {
  const outDir = resolve(process.argv[2] ?? join(tmpdir(), "ark-sync-screenshots"));
  const names = process.argv.slice(3).length > 0 ? process.argv.slice(3) : Object.keys(comments);
  mkdirSync(outDir, { recursive: true });
  const pages = mkdtempSync(join(tmpdir(), "ark-sync-pages-"));
  try {
    for (const name of names) {
      const build = comments[name];
      if (!build) throw new Error(`unknown comment "${name}"; use ${Object.keys(comments).join(", ")}`);
      const body = build();
      const htmlPath = join(pages, `comment-${name}.html`);
      const pngPath = join(outDir, `comment-${name}.png`);
      writeFileSync(htmlPath, page(body, name));
      const height = pageHeight(htmlPath);
      screenshot(htmlPath, pngPath, height);
      process.stdout.write(`${name}: ${body.length} characters, ${height} px tall -> ${pngPath}\n`);
    }
  } finally {
    rmSync(pages, { recursive: true, force: true });
  }
}

main();
