// The floor `npm run bench:parse` measures plans against: every manifest file under the directories
// given, read and parsed by `yaml` alone, one file after another on one thread. A syntax error stops it,
// so the floor never counts a parse that gave up early.
// Run: node dist/test/bench/parse-floor.js DIR...
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

async function manifestFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".yaml") && entry.name !== "ark-sync.yaml")
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

let documents = 0;
for (const dir of process.argv.slice(2)) {
  for (const file of await manifestFiles(dir)) {
    const parsed = parseAllDocuments(await readFile(file, "utf8"));
    for (const doc of Array.isArray(parsed) ? parsed : [parsed]) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      documents++;
    }
  }
}
console.log(`${documents} documents`);
