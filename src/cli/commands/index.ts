// Every command, in the order --help lists them.
import { validateCommand } from "./validate.js";

export const commands = [validateCommand];
