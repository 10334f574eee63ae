// Renders ark-sync's pull-request comment as a reviewer would see it: the comment body through a GFM
// renderer (marked), with CSS approximating GitHub's (diff fences coloured by their first character,
// alerts drawn as boxes), written as HTML and screenshotted with headless Chromium. Not part of
// `npm test` (it needs Chromium: apt-get install -y chromium).
//
//   npm run build && node dist/test/screenshot/render-comment.js [OUT_DIR] [small|large|hostile ...]
// OUT_DIR defaults to $TMPDIR/ark-sync-screenshots.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { marked } from "marked";
import type { Plan } from "../../src/core/types.js";
import { renderCommentBody } from "../../src/github/publish-plan.js";
import { hostilePlan, largePlan, smallPlan } from "../github/plans.js";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

const plans: Record<string, () => Plan> = {
  small: smallPlan,
  large: () => largePlan(3000).plan,
  hostile: hostilePlan,
};

function page(markdown: string, name: string): string {
  const rendered = colourDiffs(drawAlerts(marked.parse(markdown, { gfm: true, async: false })));
  return `<!doctype html><html><head><meta charset="utf-8"><title>ark-sync comment (${name})</title><style>${CSS}</style></head>
<body><div class="comment"><div class="header"><b>github-actions</b> <span class="bot">bot</span> commented</div>
<div class="markdown-body">${rendered}</div></div></body></html>`;
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

function screenshot(htmlPath: string, pngPath: string, height: number): void {
  const profile = mkdtempSync(join(tmpdir(), "ark-sync-chromium-"));
  try {
    execFileSync(
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
        `--user-data-dir=${profile}`,
        `--screenshot=${pngPath}`,
        `--window-size=1200,${height}`,
        pathToFileURL(htmlPath).href,
      ],
      { stdio: ["ignore", "ignore", "ignore"], timeout: 60_000 },
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
.markdown-body p, .markdown-body ul, .markdown-body pre, .markdown-body blockquote, .markdown-body details { margin: 0 0 16px; }
.markdown-body code { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 85%; background: rgba(129,139,152,0.12); padding: 0.2em 0.4em; border-radius: 6px; }
.markdown-body pre { background: #f6f8fa; padding: 16px; overflow: auto; border-radius: 6px; line-height: 1.45; }
.markdown-body pre code { background: transparent; padding: 0; font-size: 85%; }
.markdown-body summary { cursor: pointer; }
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
  const names = process.argv.slice(3).length > 0 ? process.argv.slice(3) : Object.keys(plans);
  mkdirSync(outDir, { recursive: true });
  for (const name of names) {
    const build = plans[name];
    if (!build) throw new Error(`unknown plan "${name}"; use ${Object.keys(plans).join(", ")}`);
    const body = renderCommentBody(
      build(),
      "manifests",
      "[the job summary](https://github.com/acme/infra/actions/runs/42)",
    );
    const htmlPath = join(outDir, `comment-${name}.html`);
    const pngPath = join(outDir, `comment-${name}.png`);
    writeFileSync(htmlPath, page(body, name));
    screenshot(htmlPath, pngPath, name === "large" ? 3000 : 2000);
    process.stdout.write(`${name}: ${body.length} characters -> ${pngPath}\n`);
    // A long comment's end is below the first screen: render it from its drift section on, too.
    const drift = body.indexOf("\n> [!WARNING]");
    if (name === "large" && drift > 0) {
      const tailHtml = join(outDir, `comment-${name}-tail.html`);
      const tailPng = join(outDir, `comment-${name}-tail.png`);
      writeFileSync(tailHtml, page(body.slice(drift + 1), `${name}, from the drift section`));
      screenshot(tailHtml, tailPng, 2000);
      process.stdout.write(`${name} (from the drift section on) -> ${tailPng}\n`);
    }
  }
}

main();
