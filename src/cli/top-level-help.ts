// `ark-sync` and `ark-sync --help`: the commands by group, drawn from the command table, then the
// global options as yargs lists them. yargs lists commands in one flat list, so this page is ours.
import yargs from "yargs";
import { commandIndex } from "./command-line-habits.js";
import { type CommandEntry, type CommandGroup, commandTable } from "./commands/index.js";
import { withGlobalOptions } from "./global-options.js";

const groupTitles: Readonly<Record<CommandGroup, string>> = {
  "plan and apply": "Plan and apply",
  inspection: "Inspection",
  state: "State",
  github: "GitHub",
  emulator: "Emulator",
};

/** Whether the arguments ask for this page: `--help` and no command. */
export function isTopLevelHelp(argv: readonly string[]): boolean {
  return commandIndex(argv) === undefined && argv.includes("--help");
}

export async function renderTopLevelHelp(width: number): Promise<string> {
  const globals = await withGlobalOptions(yargs([])).scriptName("ark-sync").wrap(width).getHelp();
  return [
    "ark-sync <command> [options]",
    "",
    "GitOps for Volcengine Ark inference endpoints: YAML manifests, a three-way plan, apply.",
    "",
    renderCommandGroups(commandTable, width),
    globals.trimEnd(),
    "",
    ...wrap(
      "Run ark-sync help COMMAND (or ark-sync COMMAND --help) for its options and examples; the manual is docs/commands.md.",
      width,
    ),
    "",
  ].join("\n");
}

/** Each group's title, then its commands in two columns, descriptions wrapped to `width`. */
export function renderCommandGroups(table: readonly CommandEntry[], width: number): string {
  const usage = (entry: CommandEntry) => String(entry.module.command);
  // A usage longer than most (`import [address] [endpoint-id] [dir]`) takes a line of its own.
  const fitting = table.map((entry) => usage(entry).length).filter((length) => length <= 24);
  const left = Math.max(...fitting, 0) + 4;
  const lines: string[] = [];
  for (const group of Object.keys(groupTitles) as CommandGroup[]) {
    const entries = table.filter((entry) => entry.group === group);
    if (entries.length === 0) continue;
    lines.push(`${groupTitles[group]}:`);
    for (const entry of entries) {
      const name = `  ${usage(entry)}`;
      const description = wrap(String(entry.module.describe ?? ""), Math.max(20, width - left));
      const first = name.length + 2 <= left ? name.padEnd(left) + (description.shift() ?? "") : name;
      lines.push(first.trimEnd(), ...description.map((line) => " ".repeat(left) + line));
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** `text` in lines of at most `width` characters, broken between words. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}
