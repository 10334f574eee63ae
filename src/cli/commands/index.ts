// Every command, one line each, with the group `ark-sync --help` lists it under, in that order
// (docs/commands.md#the-commands).
import type { Argv, CommandModule } from "yargs";
import { withOwnOptionsFirst } from "../command-help.js";
import type { GlobalOptions } from "../global-options.js";
import { applyCommand } from "./apply.js";
import { commentCommand } from "./comment.js";
import { demoCommand } from "./demo.js";
import { doctorCommand } from "./doctor.js";
import { emulatorCommand } from "./emulator.js";
import { importCommand } from "./import.js";
import { planCommand } from "./plan.js";
import { projectsCommand } from "./projects.js";
import { refreshCommand } from "./refresh.js";
import { renderCommand } from "./render.js";
import { stateCommand } from "./state.js";
import { statusCommand } from "./status.js";
import { syncCommand } from "./sync.js";
import { validateCommand } from "./validate.js";

export type CommandGroup = "plan and apply" | "inspection" | "state" | "github" | "emulator";

export interface CommandEntry {
  group: CommandGroup;
  // biome-ignore lint/suspicious/noExplicitAny: each command has its own arguments type
  module: CommandModule<GlobalOptions, any>;
}

export const commandTable: readonly CommandEntry[] = [
  { group: "plan and apply", module: validateCommand },
  { group: "plan and apply", module: renderCommand },
  { group: "plan and apply", module: planCommand },
  { group: "plan and apply", module: applyCommand },
  { group: "plan and apply", module: syncCommand },
  { group: "plan and apply", module: importCommand },
  { group: "inspection", module: statusCommand },
  { group: "inspection", module: projectsCommand },
  { group: "inspection", module: doctorCommand },
  { group: "state", module: stateCommand },
  { group: "state", module: refreshCommand },
  { group: "github", module: commentCommand },
  { group: "emulator", module: emulatorCommand },
  { group: "emulator", module: demoCommand },
];

/** Each command's name, as typed: `plan`, `state`. */
export const commandNames: readonly string[] = commandTable.map((entry) => commandName(entry.module));

export function commandName(module: CommandModule<GlobalOptions, unknown>): string {
  return String(module.command).split(" ")[0] as string;
}

export function withCommands(cli: Argv<GlobalOptions>): Argv<GlobalOptions> {
  return commandTable.reduce((program, entry) => program.command(withOwnOptionsFirst(entry.module)), cli);
}
