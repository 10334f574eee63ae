// Every command, in the order --help lists them.
import type { Argv } from "yargs";
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

export function withCommands(cli: Argv<GlobalOptions>): Argv<GlobalOptions> {
  return cli
    .command(validateCommand)
    .command(renderCommand)
    .command(planCommand)
    .command(statusCommand)
    .command(applyCommand)
    .command(syncCommand)
    .command(importCommand)
    .command(stateCommand)
    .command(refreshCommand)
    .command(commentCommand)
    .command(projectsCommand)
    .command(doctorCommand)
    .command(emulatorCommand)
    .command(demoCommand);
}
