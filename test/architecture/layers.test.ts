// The layering of src/, checked on its import graph rather than left to review: core/ at the bottom,
// manifest/, ark/ and state/ on core only, render/ free of I/O layers, the CLI (and the Action that
// wraps it) on top and the only code that touches the process. Reads the .ts sources, so type-only
// imports count as much as any other. biome.json repeats the first two rules (noRestrictedImports) so
// editors flag them as they are typed; this test is the authority: it resolves paths and also sees
// `typeof import("…")`, which Biome's rule does not.
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** Every source file, as a repository path such as "src/core/types.ts". */
const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
  .map((name) => posix.join("src", ...name.split(sep)))
  .filter((path) => path.endsWith(".ts"))
  .sort();

/** Block comments and `//` comments, so that a comment naming an import or process.env is not one. */
const stripComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\/|(^|\s)\/\/.*$/gm, "$1");
const sources = new Map(files.map((file) => [file, stripComments(readFileSync(join(root, file), "utf8"))]));

const specifierPatterns = [
  /^\s*(?:import|export)\s[\w\s{},*$]*?\bfrom\s*["']([^"']+)["']/gm, // import/export … from "x"
  /^\s*import\s*["']([^"']+)["']/gm, // import "x"
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // import("x"), also in types: typeof import("x")
];

interface Import {
  from: string;
  specifier: string;
  /** The file a relative specifier names ("src/core/types.ts", "package.json"); undefined for a package. */
  target?: string;
}

/** A relative specifier as a repository path: "./x.js" is the source file x.ts. */
function resolveRelative(from: string, specifier: string): string {
  const path = posix.join(posix.dirname(from), specifier);
  const candidates = [path.replace(/\.js$/, ".ts"), `${path}.ts`, `${path}/index.ts`];
  return candidates.find((candidate) => sources.has(candidate)) ?? path;
}

/** Every import of every source file, in the order they appear in it. */
const imports: Import[] = files.flatMap((from) =>
  specifierPatterns
    .flatMap((pattern) => [...(sources.get(from) ?? "").matchAll(pattern)])
    .sort((a, b) => a.index - b.index)
    .map(([, specifier = ""]) =>
      specifier.startsWith(".")
        ? { from, specifier, target: resolveRelative(from, specifier) }
        : { from, specifier },
    ),
);

/** "core" for "src/core/types.ts"; undefined for what is not a source file (package.json, a schema). */
const layer = (path: string | undefined) =>
  path?.startsWith("src/") && sources.has(path) ? path.split("/")[1] : undefined;

/** Imports of one src/ file by another that `allowed(fromLayer, toLayer)` refuses, one line each. */
function forbidden(allowed: (from: string, to: string) => boolean): string[] {
  return imports
    .filter(({ from, target }) => {
      const [source, destination] = [layer(from), layer(target)];
      return source !== undefined && destination !== undefined && !allowed(source, destination);
    })
    .map(({ from, specifier, target }) => `${from} imports "${specifier}" (${target})`);
}

/** Fails with the rule as the message and every violation below it, one a line. */
function assertNone(found: string[], rule: string): void {
  if (found.length === 0) return;
  const details = `${found.join("\n")}\n`;
  throw new assert.Assertion({ message: rule, details, operator: "none", expects: [], actual: found });
}

test("the scan sees the graph: every relative import names a file that exists", () => {
  const unresolved = imports.filter(
    ({ target }) => target !== undefined && !sources.has(target) && !/\.json$/.test(target),
  );
  assertNone(
    unresolved.map(({ from, specifier }) => `${from} imports "${specifier}"`),
    "relative imports that name no source file (the rules below would not see them)",
  );
  assert.ok(files.length > 100 && imports.length > 300, `${files.length} files, ${imports.length} imports`);
});

test("src/core/ imports only src/core/, packages and node: builtins", () => {
  assertNone(
    forbidden((from, to) => from !== "core" || to === "core"),
    "src/core/ imports another layer",
  );
});

test("src/render/ imports no I/O layer", () => {
  const io = ["github", "apply", "app", "cli", "ark", "state", "emulator", "action", "notify"];
  assertNone(
    forbidden((from, to) => from !== "render" || !io.includes(to)),
    `src/render/ imports one of ${io.join(", ")}`,
  );
});

test("src/manifest/, src/ark/ and src/state/ import only src/core/ and their own folder", () => {
  const lower = ["manifest", "ark", "state"];
  assertNone(
    forbidden((from, to) => !lower.includes(from) || to === "core" || to === from),
    "src/manifest/, src/ark/ or src/state/ imports beyond src/core/",
  );
});

test("src/notify/ imports only src/core/ and its own folder", () => {
  assertNone(
    forbidden((from, to) => from !== "notify" || to === "core" || to === from),
    "src/notify/ imports beyond src/core/",
  );
});

test("only src/cli/ and src/action/ import src/cli/", () => {
  assertNone(
    forbidden((from, to) => to !== "cli" || from === "cli" || from === "action"),
    "a layer below the CLI imports src/cli/",
  );
});

// What code below the CLI may still ask of `process`: facts about this process, not its environment,
// its streams or its fate, which reach it through parameters from the CLI. Anything else is refused.
const processFacts: Record<string, string> = {
  pid: "names temporary files, fetch refs and lock holders",
  platform: "skips the directory fsync on Windows",
  kill: "process.kill(pid, 0) asks whether a lock's holder is still alive",
  getuid: "names the lock holder when USER is unset",
};
// The code that owns the process: the CLI, and the Action's entry point. (The emulator has no command
// entry of its own under src/emulator/: `ark-sync emulator` is a CLI command. One added there belongs here.)
const processOwners = ["src/cli/", "src/action/"];

test("only the CLI and the Action use process: env, streams, exit, cwd, signals", () => {
  const found = files
    .filter((file) => !processOwners.some((owner) => file.startsWith(owner)))
    .flatMap((file) => {
      const uses = [...(sources.get(file) ?? "").matchAll(/(?<![\w$]|[\w$)\]]\.)process\.(\w+)/g)].map(
        ([, name]) => name,
      );
      const refused = [...new Set(uses)].filter((name = "") => !Object.hasOwn(processFacts, name));
      const viaImport = imports.some(
        ({ from, specifier }) => from === file && /^(node:)?process$/.test(specifier),
      );
      return [
        ...refused.map((name) => `${file} reads process.${name}`),
        ...(viaImport ? [`${file} imports node:process`] : []),
      ];
    });
  assertNone(found, "process access outside the CLI and the Action");
});

/** Strongly connected components of the src/ import graph (Tarjan), each with more than one file or a self-import. */
function cycles(): string[][] {
  const edges = new Map(files.map((file) => [file, new Set<string>()]));
  for (const { from, target } of imports) if (target && sources.has(target)) edges.get(from)?.add(target);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) visit(next);
      if (stack.includes(next)) low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1 || edges.get(file)?.has(file)) components.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  // One cycle per component: the shortest way from its first file back to that file (breadth first).
  return components.map((component) => {
    const [start = ""] = component;
    const paths = new Map<string, string[]>([[start, [start]]]);
    for (const [file, path] of paths) {
      for (const next of edges.get(file) ?? []) {
        if (next === start) return [...path, start];
        if (component.includes(next) && !paths.has(next)) paths.set(next, [...path, next]);
      }
    }
    return component;
  });
}

test("no import cycles among src/ files", () => {
  assertNone(
    cycles().map((cycle) => cycle.join(" -> ")),
    "import cycles (one per strongly connected component)",
  );
});

test.run();
