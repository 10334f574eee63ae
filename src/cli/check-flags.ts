// The flags a command was given, checked against its own and the global ones before yargs validates
// them (docs/commands.md#synopsis): a misspelt flag gets the nearest ones (`--taget` → `--target`),
// Terraform's one-dash flags (`-out=p.json`) their two-dash names, and an unknown flag a message
// naming it and the command's --help, where yargs would say "Unknown arguments: o, u, t". An
// ARK_SYNC_<NAME> variable that names no flag of the command is ignored rather than refused: the
// environment is not the command line. ARK_SYNC_NO_<FLAG> is refused, naming ARK_SYNC_<FLAG>=false.
import type { Arguments, Argv, MiddlewareFunction } from "yargs";
import { Parser } from "yargs/helpers";
import { ArkSyncError } from "../core/errors.js";
import { closestNames, listAlternatives } from "./did-you-mean.js";

/** The part of yargs' instance that knows the command's options and its path (`state list`): yargs
 * has both, its types do not. `args._` is no path: it also holds extra positionals. */
interface CommandView {
  getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]>; boolean: string[] };
  getInternalMethods(): { getContext(): { commands: string[] } };
}

const oneDashLong = /^-([a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z]{2,}[a-z0-9]*)(=.*)?$/;

/** yargs middleware, run before validation in the command's context. */
export function checkFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): MiddlewareFunction {
  const typed = typedFlags(argv);
  // yargs passes its instance second; its types declare only the arguments.
  return (args: Arguments, yargs?: Argv) => {
    if (yargs === undefined) return;
    const view = yargs as unknown as CommandView;
    const options = view.getOptions();
    const names = Object.keys(options.key).map(kebab);
    const known = new Set([...names, ...Object.values(options.alias).flat().map(kebab)]);
    const command = ["ark-sync", ...view.getInternalMethods().getContext().commands].join(" ");
    const booleans = new Set(options.boolean.map(kebab));
    for (const flag of typed) {
      const refusal = refuseFlag(flag, known, names, booleans, command);
      if (refusal) throw refusal;
    }
    for (const key of Object.keys(args)) {
      if (key === "_" || key === "$0" || known.has(kebab(key))) continue;
      if (!setByEnvironment(key, env)) continue;
      const negated = negatedVariable(key, booleans);
      if (negated) throw negated;
      delete args[key];
    }
  };
}

interface TypedFlag {
  /** As typed, e.g. `-out=p.json`, `--taget`. */
  text: string;
  /** Without dashes and value, e.g. `out`, `taget`. */
  name: string;
  dashes: 1 | 2;
}

/** The long flags on the command line, up to `--`; values are not flags, nor single letters. */
function typedFlags(argv: readonly string[]): TypedFlag[] {
  const flags: TypedFlag[] = [];
  for (const arg of argv) {
    if (arg === "--") break;
    if (arg.startsWith("--"))
      flags.push({ text: arg, name: arg.slice(2).split("=")[0] as string, dashes: 2 });
    else if (oneDashLong.test(arg))
      flags.push({ text: arg, name: arg.slice(1).split("=")[0] as string, dashes: 1 });
  }
  return flags;
}

function refuseFlag(
  flag: TypedFlag,
  known: ReadonlySet<string>,
  names: readonly string[],
  booleans: ReadonlySet<string>,
  command: string,
): ArkSyncError | undefined {
  const name = kebab(flag.name);
  const negated = name.startsWith("no-") && booleans.has(name.slice(3));
  const exists = known.has(name) || negated;
  if (flag.dashes === 2 && exists) return undefined;
  const value = flag.text.includes("=") ? flag.text.slice(flag.text.indexOf("=")) : "";
  const suggestions = exists
    ? [`--${flag.name}${value}`]
    : nearestFlags(name, names, booleans).map((near) => `--${near}${value}`);
  const see = `See ${command} --help.`;
  const hint = suggestions.length > 0 ? `Did you mean ${listAlternatives(suggestions)}? ${see}` : `${see}`;
  const message =
    flag.dashes === 1
      ? `${quote(flag.text)}: ark-sync's options take two dashes${exists ? "" : `, and ${command} has no --${flag.name}`}`
      : `${command} has no option ${quote(flag.text.split("=")[0] as string)}`;
  return new ArkSyncError("usage", "invalid_arguments", message, { hint });
}

/** Up to three flags near `name`; for `--no-X`, the booleans near X, negated. */
function nearestFlags(name: string, names: readonly string[], booleans: ReadonlySet<string>): string[] {
  const candidates = names.filter((candidate) => candidate !== "help" && candidate !== "version");
  const near = name.startsWith("no-")
    ? closestNames(
        name.slice(3),
        candidates.filter((candidate) => booleans.has(candidate)),
      ).map((candidate) => `no-${candidate}`)
    : closestNames(name, candidates);
  return near.slice(0, 3);
}

/** ARK_SYNC_NO_PRUNE names --no-prune, but yargs reads only ARK_SYNC_PRUNE=false: refused rather
 * than ignored, so a flag meant to forbid something is never silently dropped. */
function negatedVariable(key: string, booleans: ReadonlySet<string>): ArkSyncError | undefined {
  const name = kebab(key);
  if (!name.startsWith("no-") || !booleans.has(name.slice(3))) return undefined;
  const variable = (flag: string) => `ARK_SYNC_${flag.replaceAll("-", "_").toUpperCase()}`;
  return new ArkSyncError(
    "usage",
    "invalid_arguments",
    `${variable(name)} is not read: the environment gives --${name} as ${variable(name.slice(3))}=false.`,
  );
}

/** Whether yargs took `key` from an ARK_SYNC_ variable (`fooBar` from ARK_SYNC_FOO_BAR, `foo` from
 * ARK_SYNC_FOO__BAR), as `.env("ARK_SYNC")` does. */
function setByEnvironment(key: string, env: Readonly<Record<string, string | undefined>>): boolean {
  const name = `ARK_SYNC_${Parser.decamelize(key, "_").toUpperCase()}`;
  return Object.keys(env).some((variable) => variable === name || variable.startsWith(`${name}__`));
}

function kebab(name: string): string {
  return Parser.decamelize(name, "-");
}

function quote(arg: string): string {
  return JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}…` : arg);
}
