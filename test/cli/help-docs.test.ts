// docs/commands.md and the help agree (issue 20's "done when"): every command and subcommand's help
// has examples, lists its own options before the global ones, and its examples use only its flags;
// every flag docs/commands.md mentions under a command exists on it, and every flag a command has is
// mentioned there. The help is yargs' own, produced in-process.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { commandName, commandTable } from "../../src/cli/commands/index.js";
import { buildProgram } from "../../src/cli/program.js";
import { renderTopLevelHelp } from "../../src/cli/top-level-help.js";

/** `ark-sync WORDS --help`, as printed, wide enough that no line wraps. */
function helpOf(words: string[]): Promise<string> {
  const argv = [...words, "--help"];
  return new Promise((resolve, reject) => {
    buildProgram(argv, { width: 250, env: {} })
      .exitProcess(false)
      .parse(argv, {}, (error, _args, output) => (error ? reject(error) : resolve(output)));
  });
}

interface Help {
  /** Section title → its lines, e.g. "Options" → ["  --all  Plan every …"]. */
  sections: Map<string, string[]>;
  order: string[];
}

function parseHelp(text: string): Help {
  const sections = new Map<string, string[]>();
  const order: string[] = [];
  let current: string[] | undefined;
  for (const line of text.split("\n")) {
    const title = /^([A-Z][A-Za-z ]+):$/.exec(line);
    if (title?.[1]) {
      current = [];
      sections.set(title[1], current);
      order.push(title[1]);
    } else if (line.startsWith("  ") && current) current.push(line);
  }
  return { sections, order };
}

/** The flags a help section lists: `--all`, `--out`, … */
function flagsIn(lines: readonly string[] | undefined): string[] {
  return (lines ?? []).flatMap((line) => /^ {2}--([a-z][a-z0-9-]*)/.exec(line)?.[1] ?? []);
}

/** Every command path, subcommands found in their parent's help: ["plan"], ["state", "list"], … */
async function allCommands(): Promise<{ path: string[]; help: Help }[]> {
  const found: { path: string[]; help: Help }[] = [];
  const visit = async (path: string[]) => {
    const help = parseHelp(await helpOf(path));
    found.push({ path, help });
    for (const line of help.sections.get("Commands") ?? []) {
      const sub = new RegExp(`^ {2}ark-sync ${path.join(" ")} ([a-z][a-z-]*)`).exec(line)?.[1];
      if (sub) await visit([...path, sub]);
    }
  };
  for (const entry of commandTable) await visit([commandName(entry.module)]);
  return found;
}

const commands = await allCommands();
const globalFlags = flagsIn(commands[0]?.help.sections.get("Global options"));

test("the walk found every command, subcommands and the global options", () => {
  const paths = commands.map((command) => command.path.join(" "));
  for (const expected of ["plan", "apply", "state list", "state unlock", "emulator", "demo"])
    assert.ok(paths.includes(expected), `${expected} in ${paths.join(", ")}`);
  assert.ok(globalFlags.includes("api-url") && globalFlags.includes("debug"));
});

test("ark-sync --help lists every command once, under its group, groups in order", async () => {
  const help = await renderTopLevelHelp(100);
  const titles = ["Plan and apply:", "Inspection:", "State:", "GitHub:", "Emulator:"];
  const at = titles.map((title) => help.indexOf(`\n${title}\n`));
  assert.ok(
    at.every((index, i) => index > 0 && (i === 0 || index > (at[i - 1] as number))),
    at.join(" "),
  );
  for (const entry of commandTable) {
    const line = `\n  ${String(entry.module.command)}`;
    const position = help.indexOf(line);
    assert.ok(position > 0 && help.indexOf(line, position + 1) === -1, `${line.trim()} once`);
    const group = titles.findLastIndex((_, i) => (at[i] as number) < position);
    assert.is(titles[group]?.toLowerCase(), `${entry.group}:`, line);
  }
  assert.match(help, /\nGlobal options:\n {2}--api-url /);
});

test("every command's help has two or three examples that use only its own flags", () => {
  for (const { path, help } of commands) {
    const name = path.join(" ");
    const examples = help.sections.get("Examples") ?? [];
    assert.ok(examples.length >= 2 && examples.length <= 3, `${name}: ${examples.length} examples`);
    const flags = new Set([...flagsIn(help.sections.get("Options")), ...globalFlags]);
    for (const example of examples) {
      const invocation = (example.trim().split(/ {2,}/)[0] as string).split(" ");
      assert.equal(invocation.slice(0, path.length + 1), ["ark-sync", ...path], example);
      for (const word of invocation.filter((word) => word.startsWith("--"))) {
        const flag = (word.slice(2).split("=")[0] as string).replace(/^no-/, "");
        assert.ok(flags.has(flag), `${name}: the example "${example.trim()}" uses --${flag}`);
      }
    }
  }
});

test("every command lists its own options before the global ones", () => {
  for (const { path, help } of commands) {
    if (!help.sections.has("Options")) continue;
    const order = help.order;
    assert.ok(
      order.indexOf("Options") < order.indexOf("Global options"),
      `${path.join(" ")}: ${order.join(", ")}`,
    );
  }
});

// docs/commands.md, cut into what it says about each command: its synopsis lines, its bullet under
// "The commands" and its own "### `name`" section. A flag in a code span that starts with another
// command's name (`plan --detailed-exitcode`, under status) is that command's.
const doc = readFileSync(new URL("../../../docs/commands.md", import.meta.url), "utf8");
const topLevel = commandTable.map((entry) => commandName(entry.module));

function docSections(): Map<string, string> {
  const sections = new Map<string, string[]>(topLevel.map((name) => [name, []]));
  const synopsis = /## Synopsis\n+```\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
  let current = "";
  for (const line of synopsis.split("\n")) {
    current = /^ark-sync (\S+)/.exec(line)?.[1] ?? current;
    sections.get(current)?.push(line);
  }
  const commandsPart = /\n## The commands\n([\s\S]*?)\n## /.exec(doc)?.[1] ?? "";
  let underHeading = false;
  current = "";
  for (const line of commandsPart.split("\n")) {
    if (line.startsWith("### ")) {
      current = /^### `(\S+)`/.exec(line)?.[1] ?? "";
      underHeading = true;
    } else if (!underHeading) {
      const bullet = /^- \*\*`(\S+?)[ `]/.exec(line)?.[1];
      // A bullet goes on over indented and blank lines; a paragraph after the list is no command's.
      if (bullet) current = bullet;
      else if (/^\S/.test(line)) current = "";
    }
    sections.get(current)?.push(line);
  }
  return new Map([...sections].map(([name, lines]) => [name, lines.join("\n")]));
}

/** The flags `text` mentions, each with the command it belongs to. */
function mentionedFlags(text: string, section: string): { flag: string; command: string }[] {
  const mentions: { flag: string; command: string }[] = [];
  // Code spans first, each judged by its first word; then the rest of the text.
  const spans = [...text.matchAll(/`([^`]*)`/g)].map((match) => match[1] as string);
  const outside = text.replace(/`[^`]*`/g, " ");
  for (const [piece, inSpan] of [...spans.map((span) => [span, true] as const), [outside, false] as const]) {
    const first = inSpan ? /^(?:ark-sync )?([a-z]+)/.exec(piece)?.[1] : undefined;
    const command = first !== undefined && topLevel.includes(first) ? first : section;
    for (const match of piece.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g))
      mentions.push({ flag: (match[1] as string).replace(/^no-/, ""), command });
  }
  return mentions;
}

/** A top-level command's flags: its own and its subcommands', without the global ones. */
function ownFlags(name: string): Set<string> {
  const flags = commands
    .filter((command) => command.path[0] === name)
    .flatMap((command) => flagsIn(command.help.sections.get("Options")));
  return new Set(flags);
}

const sections = docSections();

test("docs/commands.md has something to say about every command", () => {
  for (const name of topLevel)
    assert.ok((sections.get(name) ?? "").includes(name), `${name} in docs/commands.md`);
});

test("every flag docs/commands.md mentions under a command exists on it", () => {
  const wrong: string[] = [];
  for (const [section, text] of sections) {
    for (const { flag, command } of mentionedFlags(text, section)) {
      const known = ownFlags(command).has(flag) || globalFlags.includes(flag);
      if (!known) wrong.push(`${command} --${flag} (under ${section})`);
    }
  }
  assert.equal(wrong, [], `docs/commands.md mentions flags the commands do not have: ${wrong.join(", ")}`);
});

test("every flag of every command is mentioned under it in docs/commands.md", () => {
  const missing: string[] = [];
  for (const name of topLevel) {
    const text = sections.get(name) ?? "";
    for (const flag of ownFlags(name)) {
      if (!new RegExp(`--(no-)?${flag}(?![\\w-])`).test(text)) missing.push(`${name} --${flag}`);
    }
  }
  assert.equal(missing, [], `docs/commands.md does not mention: ${missing.join(", ")}`);
});

test.run();
