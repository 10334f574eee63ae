// docs/emulator.md's model table is the emulator's catalogue: same models, same versions, same order.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { foundationModelCatalogue } from "../../src/emulator/model-catalogue.js";

const docFile = fileURLToPath(new URL("../../../docs/emulator.md", import.meta.url));

/** The rows of the first table under `## Model catalogue`: `| `name` | `v1`, `v2` |`. */
function readModelTable(markdown: string): [string, string[]][] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith("Model catalogue\n")) ?? "";
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  return rows.map((line) => {
    const [name = "", versions = ""] = line.slice(1, -1).split("|");
    const unquote = (text: string) => text.trim().replace(/^`|`$/g, "");
    return [unquote(name), versions.split(",").map(unquote)];
  });
}

test("docs/emulator.md lists exactly the models and versions of src/emulator/model-catalogue.ts", () => {
  const documented = readModelTable(readFileSync(docFile, "utf8"));
  assert.ok(documented.length > 0, "no model table under '## Model catalogue' in docs/emulator.md");
  assert.equal(
    documented,
    Object.entries(foundationModelCatalogue).map(([name, versions]) => [name, [...versions]]),
    "update the table in docs/emulator.md (ark-sync emulator models prints it)",
  );
});

test.run();
