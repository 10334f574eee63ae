// The guard every line ark-sync writes under GitHub Actions goes through (docs/github.md#workflow-commands):
// nothing but ark-sync's own commands can be a line the runner runs, whatever names and messages hold
// and however the output is cut into writes; JSON still parses to the same values.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { guardWorkflowCommands } from "../../src/github/workflow-command-guard.js";
import { runnerCommandLines } from "./runner-commands.js";

/** The guard over a string, written in the given pieces. */
function guarded(pieces: string[]): string {
  let out = "";
  const guard = guardWorkflowCommands((text) => {
    out += text;
  });
  for (const piece of pieces) guard.write(piece);
  return out;
}

const CASES: Array<{ name: string; input: string; expect: string }> = [
  { name: "a command", input: "::warning::X\n", expect: "\\u003a:warning::X\n" },
  { name: "after blanks", input: " \t::error::x", expect: " \t\\u003a:error::x" },
  {
    name: "after .NET-only and Unicode blanks",
    input: "\u0085\u00a0\u3000::error::x",
    expect: "\u0085\u00a0\u3000\\u003a:error::x",
  },
  { name: "after CR, a line break for the runner", input: "ok\r::error::x", expect: "ok\r\\u003a:error::x" },
  { name: "after CRLF", input: "ok\r\n::error::x", expect: "ok\r\n\\u003a:error::x" },
  { name: "a line's first colon only", input: "a::b\n:c::d", expect: "a::b\n\\u003ac::d" },
  { name: "the older form, anywhere", input: "see ##[warning]x", expect: "see ##\\u005bwarning]x" },
  { name: "three hashes", input: "###[group]", expect: "###\\u005bgroup]" },
  { name: "no two hashes", input: "#[#x[ # [", expect: "#[#x[ # [" },
  {
    name: "nothing to do",
    input: "Plan: 1 to add.\n  ~ rate_limit\n",
    expect: "Plan: 1 to add.\n  ~ rate_limit\n",
  },
];

test("each rule, one write", () => {
  for (const { name, input, expect } of CASES) assert.is(guarded([input]), expect, name);
});

test("the same, cut into pieces anywhere: the guard remembers the line", () => {
  for (const { name, input, expect } of CASES) {
    const chars = [...input];
    for (let cut = 0; cut <= chars.length; cut++) {
      const pieces = [chars.slice(0, cut).join(""), chars.slice(cut).join("")];
      assert.is(guarded(pieces), expect, `${name} cut at ${cut}`);
    }
    assert.is(guarded(chars), expect, `${name}, one character at a time`);
  }
  assert.is(guarded(["x", "\n", " ", ":", ":warning::y"]), "x\n \\u003a:warning::y");
  assert.is(guarded(["#", "#", "[x"]), "##\\u005bx");
  assert.is(guarded(["abc", ":", ":x"]), "abc::x", "not at a line's start");
});

test("no output the guard lets through is a command, and undoing its two escapes gives the input back", () => {
  const alphabet = fc.constantFrom(
    ":",
    ":",
    "#",
    "#",
    "[",
    " ",
    "\t",
    "\n",
    "\r",
    "\u0085",
    "\u00a0",
    "a",
    "]",
  );
  fc.assert(
    fc.property(fc.array(fc.array(alphabet, { maxLength: 12 }), { maxLength: 6 }), (pieces) => {
      const input = pieces.map((piece) => piece.join(""));
      const out = guarded(input);
      assert.equal(runnerCommandLines(out), [], JSON.stringify(input));
      assert.is(out.replaceAll("\\u003a", ":").replaceAll("\\u005b", "["), input.join(""));
    }),
    { numRuns: 2000 },
  );
});

test("JSON keeps its values: what it holds may start a command, the guarded JSON still parses to it", () => {
  const value = {
    include: [{ dir: "::warning::X" }, { dir: "##[group]Y" }, { dir: "a\n::error::b" }, { dir: "###[[" }],
  };
  for (const json of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
    const out = guarded([json]);
    assert.equal(runnerCommandLines(out), []);
    assert.equal(JSON.parse(out), value);
  }
});

test("ark-sync's own commands go through as they are, each at the start of a line", () => {
  let out = "";
  const guard = guardWorkflowCommands((text) => {
    out += text;
  });
  guard.write("Checking");
  guard.command("::error file=a.yaml,line=1,col=1,title=ark-sync::bad\n");
  guard.write("::warning::not ours\n   ");
  guard.command("::notice title=ark-sync::more\n::add-mask::secret\n");
  guard.command("");
  assert.is(
    out,
    "Checking\n::error file=a.yaml,line=1,col=1,title=ark-sync::bad\n\\u003a:warning::not ours\n   ::notice title=ark-sync::more\n::add-mask::secret\n",
  );
  assert.equal(runnerCommandLines(out), [
    "::error file=a.yaml,line=1,col=1,title=ark-sync::bad",
    "   ::notice title=ark-sync::more",
    "::add-mask::secret",
  ]);
});

test("the command path refuses anything but whole command lines", () => {
  const guard = guardWorkflowCommands(() => {});
  for (const lines of ["Plan: 1 to add\n", "::error::x", "::error::x\nand more\n", "::error::x\r::y\n"]) {
    assert.throws(() => guard.command(lines), /Not a workflow command line/, JSON.stringify(lines));
  }
});

test.run();
