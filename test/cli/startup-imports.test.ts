// `ark-sync --help` must start fast: the modules main.js loads statically may reach yargs and our own
// light modules only. The Ark SDK, simple-git and ajv are reachable through dynamic import() alone.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cliPath } from "./run-cli.js";

const staticImport = /^\s*(?:import|export)\s+(?:[^'"`;]*?\s+from\s+)?["']([^"']+)["']/gm;

/** Every file and package reached from `entry` through static import and export-from statements. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(staticImport)) {
      if (!specifier) continue;
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else if (!specifier.startsWith("node:"))
        packages.add(
          specifier
            .split("/")
            .slice(0, specifier.startsWith("@") ? 2 : 1)
            .join("/"),
        );
    }
  };
  visit(entry);
  return { files, packages };
}

test("the CLI's static import graph loads yargs and nothing heavy", () => {
  const { files, packages } = staticGraph(cliPath);
  assert.equal([...packages].sort(), ["yargs"]);
  assert.ok(files.size > 5, "the graph was walked");
  for (const file of files)
    assert.not.match(file, /\/dist\/src\/(ark|apply|emulator|github|state|manifest)\//);
});

test("the walker sees through to heavy packages when they are imported statically", () => {
  const { packages } = staticGraph(cliPath.replace("cli/main.js", "ark/sdk-transport.js"));
  assert.ok(packages.has("debug"), "a static import of a package is found");
});

test.run();
