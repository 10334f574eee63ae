#!/usr/bin/env node
// Runs the compiled uvu suites and ends with the line CI reads: "N passed, N failed".
// Usage: node test/run.mjs [pattern]   (pattern: a regex on the test file path, e.g. "core/")
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// uvu's package exports do not include its bin, so point at the file directly.
const uvuBin = fileURLToPath(new URL("../node_modules/uvu/bin.js", import.meta.url));
const filter = process.argv[2] ?? "";
const pattern = `${filter}.*\\.test\\.js$`;

const colorArgs = process.stdout.isTTY ? [] : ["--no-color"];
const child = spawn(process.execPath, [uvuBin, "dist/test", pattern, ...colorArgs], {
  stdio: ["ignore", "pipe", "inherit"],
});
let output = "";
child.stdout.on("data", (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.on("close", (code) => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const count = (label) => Number(plain.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? Number.NaN);
  const total = count("Total");
  const passed = count("Passed");
  const skipped = count("Skipped");
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log("0 passed, 1 failed");
    console.error("the test runner ended without totals (a test file failed to load?)");
    process.exit(code || 1);
  }
  const failed = total - passed - (Number.isNaN(skipped) ? 0 : skipped);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : (code ?? 1));
});
