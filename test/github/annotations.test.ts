// Diagnostics as GitHub annotations: at most 10 per level, escaped, relative paths, and every one
// of them in the job summary.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  escapeData,
  escapeProperty,
  renderAnnotations,
  reportDiagnosticsToGitHub,
} from "../../src/github/annotations.js";
import type { Diagnostic } from "../../src/manifest/diagnostic.js";

function diagnostic(
  i: number,
  severity: Diagnostic["severity"],
  overrides: Partial<Diagnostic> = {},
): Diagnostic {
  return {
    file: `manifests/app-${String(i).padStart(2, "0")}.yaml`,
    line: i + 1,
    col: 3,
    severity,
    code: severity === "error" ? "schema_type" : "unknown_tag",
    message: `problem ${i}`,
    ...overrides,
  };
}

test("25 errors and 12 warnings: 10 annotations per level, a notice, and all 37 in the summary", () => {
  const diagnostics = [
    ...Array.from({ length: 25 }, (_, i) => diagnostic(24 - i, "error")),
    ...Array.from({ length: 12 }, (_, i) => diagnostic(i, "warning")),
  ];
  const { commands, summary } = renderAnnotations(diagnostics);
  const lines = commands.trimEnd().split("\n");
  assert.is(lines.filter((line) => line.startsWith("::error ")).length, 10);
  assert.is(lines.filter((line) => line.startsWith("::warning ")).length, 10);
  assert.equal(
    lines.filter((line) => line.startsWith("::notice ")),
    [
      "::notice title=ark-sync validate::GitHub shows at most 10 annotations per level: 15 more errors and 2 more warnings are listed in the job summary.",
    ],
  );
  assert.is(
    lines[0],
    "::error file=manifests/app-00.yaml,line=1,col=3,title=ark-sync validate (schema_type)::problem 0",
    "sorted by file",
  );
  assert.match(summary, "### ark-sync validate: 25 errors, 12 warnings");
  for (let i = 0; i < 25; i++)
    assert.match(summary, `\`manifests/app-${String(i).padStart(2, "0")}.yaml:${i + 1}:3\``);
  assert.is((summary.match(/^- \*\*(error|warning)\*\*/gm) ?? []).length, 37);
});

test("workflow command escaping: % CR LF in data, and : , in properties", () => {
  assert.is(escapeData("100% done\r\nnext"), "100%25 done%0D%0Anext");
  assert.is(escapeProperty("a:b,c%"), "a%3Ab%2Cc%25");
  const { commands } = renderAnnotations([
    diagnostic(0, "error", { file: "odd,dir/x:y.yaml", message: "line one\n::warning::injected" }),
  ]);
  assert.is(
    commands,
    "::error file=odd%2Cdir/x%3Ay.yaml,line=1,col=3,title=ark-sync validate (schema_type)::line one%0A::warning::injected\n",
  );
});

test("absolute paths under the workspace become repository paths; messages are escaped in the summary", () => {
  const { commands, summary } = renderAnnotations(
    [
      diagnostic(0, "error", {
        file: "/home/runner/work/infra/manifests/a.yaml",
        message: "see <img src=x> @org/team",
      }),
    ],
    { workspace: "/home/runner/work/infra" },
  );
  assert.match(commands, "file=manifests/a.yaml,");
  assert.match(summary, "see \\<img src\\=x\\> \\@\u200dorg\\/team");
  assert.is(renderAnnotations([]).commands, "");
  assert.is(renderAnnotations([]).summary, "");
});

test("a small summary budget lists what fits and says how many more there are", () => {
  const diagnostics = Array.from({ length: 200 }, (_, i) => diagnostic(i % 90, "error"));
  const { summary } = renderAnnotations(diagnostics, { summaryBytes: 4000 });
  assert.ok(Buffer.byteLength(summary) <= 4000);
  const shown = (summary.match(/^- \*\*error\*\*/gm) ?? []).length;
  const more = Number(/\.\.\. and (\d+) more/.exec(summary)?.[1]);
  assert.is(shown + more, 200);
});

test("reportDiagnosticsToGitHub prints the commands and appends to $GITHUB_STEP_SUMMARY", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-annotations-"));
  try {
    const summaryPath = join(dir, "summary.md");
    let printed = "";
    await reportDiagnosticsToGitHub([diagnostic(1, "warning")], {
      env: { GITHUB_STEP_SUMMARY: summaryPath },
      write: (text) => {
        printed += text;
      },
    });
    assert.match(printed, "::warning file=manifests/app-01.yaml,line=2,col=3,");
    assert.match(await readFile(summaryPath, "utf8"), "### ark-sync validate: 1 warning");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
