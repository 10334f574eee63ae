// What Terraform, kubectl and Argo CD users type first, answered before yargs sees it
// (docs/commands.md#synopsis): no command prints the help; `help [COMMAND]` is that command's
// `--help`; a command ark-sync does not have (`destroy`, `diff`, `get`, …) is answered with what
// ark-sync does instead, and a misspelt one with the nearest commands.
import { ArkSyncError } from "../core/errors.js";
import { closestNames, listAlternatives } from "./did-you-mean.js";
import { globalOptionsTakingValue } from "./global-options.js";

/** Commands of other tools, and what ark-sync does instead. `sync` is ark-sync's own command. */
const otherToolsCommands: Readonly<Record<string, string>> = {
  destroy:
    "Remove the endpoints' manifests, then run ark-sync plan and apply: the plan names each endpoint it destroys. Removing every manifest also needs --allow-empty.",
  delete:
    "Remove the endpoint's manifest, then run ark-sync plan and apply: the plan names each endpoint it destroys. ark-sync state rm ADDRESS forgets an endpoint without deleting it.",
  diff: "ark-sync plan [DIR] shows what apply would change, as terraform plan, kubectl diff and argocd app diff do.",
  show: "ark-sync state show ADDRESS [DIR] prints what the state records for one endpoint; ark-sync status [DIR] lists what runs on Ark.",
  get: "ark-sync status [DIR] lists every endpoint with its sync, health and model, as kubectl get does; ark-sync state list [DIR] lists the recorded addresses.",
  describe:
    "ark-sync state show ADDRESS [DIR] prints one recorded endpoint; ark-sync status [DIR] lists what runs on Ark.",
  list: "ark-sync status [DIR] lists the endpoints, ark-sync state list [DIR] the recorded addresses, ark-sync projects the directories with an ark-sync.yaml.",
  init: "ark-sync needs no init: write manifests in a directory (manifests by default) and run ark-sync plan; an ark-sync.yaml there may set the region and state.",
  create: "Write the endpoint's manifest, then run ark-sync plan and apply.",
  lint: "ark-sync validate [DIR] checks every manifest.",
  version: "ark-sync --version prints the version.",
};

/** The arguments yargs should parse; throws a usage error for a command ark-sync does not have. */
export function translateHabits(argv: readonly string[], commands: readonly string[]): string[] {
  if (argv.length === 0) return ["--help"];
  const at = commandIndex(argv);
  const word = at === undefined ? undefined : (argv[at] as string);
  if (at === undefined || word === undefined) return [...argv];
  if (word === "help")
    return translateHabits([...argv.slice(0, at), ...argv.slice(at + 1), "--help"], commands);
  if (commands.includes(word)) return [...argv];
  const instead = otherToolsCommands[word];
  if (instead !== undefined)
    throw new ArkSyncError("usage", "invalid_arguments", `ark-sync has no ${word} command`, {
      hint: instead,
    });
  const near = closestNames(word, commands);
  throw new ArkSyncError("usage", "invalid_arguments", `Unknown command ${quote(word)}`, {
    hint:
      near.length > 0
        ? `Did you mean ${listAlternatives(near.slice(0, 3))}? Run ark-sync --help for every command.`
        : "Run ark-sync --help for every command.",
  });
}

/** Where the command is: the first argument that is neither a flag nor a global flag's value. */
export function commandIndex(argv: readonly string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") return undefined;
    if (!arg.startsWith("-")) return i;
    if (globalOptionsTakingValue.includes(arg.replace(/^--/, ""))) i++;
  }
  return undefined;
}

function quote(arg: string): string {
  return JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}…` : arg);
}
