// What Terraform and kubectl users type first, answered before yargs sees it (docs/commands.md): no
// command prints the help; `help [COMMAND]` is that command's `--help`; Terraform's one-dash flags
// (`-out=p.json`) and its `destroy` get an answer that says what ark-sync calls them, instead of
// yargs' "Unknown arguments: o, u, t".
import { ArkSyncError } from "../core/errors.js";

/** The arguments yargs should parse; throws a usage error for a habit ark-sync does not share. */
export function translateHabits(argv: readonly string[]): string[] {
  if (argv.length === 0) return ["--help"];
  const [first, ...rest] = argv;
  if (first === "help") return [...rest, "--help"];
  if (first === "destroy") {
    throw new ArkSyncError("usage", "invalid_arguments", "ark-sync has no destroy command", {
      hint: "Remove the endpoints' manifests, then run ark-sync plan and apply: the plan names each endpoint it destroys. Removing every manifest also needs --allow-empty.",
    });
  }
  for (const arg of argv) {
    const oneDash = /^-([a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z]{2,}[a-z0-9]*)(=.*)?$/.exec(arg);
    if (oneDash) {
      throw new ArkSyncError(
        "usage",
        "invalid_arguments",
        `${quote(arg)}: ark-sync's options take two dashes`,
        { hint: `Did you mean --${oneDash[1]}${oneDash[2] ?? ""}? See ark-sync ${first} --help.` },
      );
    }
  }
  return [...argv];
}

function quote(arg: string): string {
  return JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}…` : arg);
}
