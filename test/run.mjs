#!/usr/bin/env node
// Runs the compiled uvu suites, one test file per child process, several files at a time, and ends with
// the line CI reads: "N passed, N failed".
// Usage: node test/run.mjs [pattern]   (pattern: a regex on the test file path, e.g. "core/")
// TEST_JOBS=N sets how many files run at once (default: three times the number of CPUs). Many suites
// wait on timers, child processes and loopback HTTP, which one process running files one after another
// leaves the CPUs idle through. Each file's output is printed whole when it ends, with its wall time.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// uvu's package exports do not include its bin, so point at the file directly.
const uvuBin = fileURLToPath(new URL("../node_modules/uvu/bin.js", import.meta.url));
const testDir = fileURLToPath(new URL("../dist/test/", import.meta.url));
// Each file's last wall time, so the next run can start the slowest files first; a fresh clone (CI)
// has none yet and starts from the committed seed (copy the first over it when suites change a lot).
const timesFile = fileURLToPath(new URL("../dist/.test-times.json", import.meta.url));
const seedTimesFile = fileURLToPath(new URL("./test-times.json", import.meta.url));

const filter = new RegExp(`${process.argv[2] ?? ""}.*\\.test\\.js$`, "i"); // as uvu matched it before
// A file alone keeps a third to half a core busy: on 2 cores, 6 at a time used 89 % of the CPU and
// took 136 s where 4 at a time took 159 s.
const jobs = Number(process.env.TEST_JOBS) || 3 * availableParallelism();
const colorArgs = process.stdout.isTTY ? [] : ["--no-color"];
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
const plain = (text) => text.replace(/\x1b\[[0-9;]*m/g, "");
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const allFiles = readdirSync(testDir, { recursive: true })
  .map((name) => name.split("\\").join("/"))
  .filter((name) => name.endsWith(".test.js"));
const files = allFiles.filter((name) => filter.test(name));
const knownTimes = readTimes();
// Unknown files first (they may be slow), then the slowest known ones.
files.sort((a, b) => (knownTimes[b] ?? Infinity) - (knownTimes[a] ?? Infinity) || a.localeCompare(b));

/** Runs one file in its own uvu process; resolves to its output, counts and wall time. */
function runFile(file) {
  const started = performance.now();
  const child = spawn(process.execPath, [uvuBin, testDir, `^${escapeRegex(file)}$`, ...colorArgs], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let output = ""; // stdout and stderr in the order they arrived
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const count = (label) => Number(plain(stdout).match(new RegExp(`${label}:\\s+(\\d+)`))?.[1]);
      const total = count("Total");
      const passed = count("Passed");
      const skipped = count("Skipped") || 0;
      const hasTotals = !Number.isNaN(total) && !Number.isNaN(passed);
      const failed = hasTotals ? total - passed - skipped : 0;
      // A file that printed no totals, or exited non-zero with no failed test, failed as a whole.
      const exit = `exit ${signal ?? code}`;
      const crash = !hasTotals ? `no totals, ${exit}` : failed === 0 && code !== 0 ? exit : null;
      resolve({ file, output, seconds, passed: passed || 0, failed, skipped, crash });
    });
  });
}

/** Prints a finished file as one block: its uvu output without the totals stanza, then one summary line. */
function report(result) {
  let body = result.crash ? result.output : result.output.replace(/\n+\s*Total:[\s\S]*$/, "");
  if (!plain(body).startsWith(result.file)) body = `${result.file}\n${body}`; // died before uvu named it
  const summary = result.crash
    ? `FILE FAILED (${result.crash})`
    : `${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ""}`;
  process.stdout.write(`${body.trimEnd()}\n  ${summary} in ${result.seconds.toFixed(1)} s\n\n`);
}

function readTimes() {
  for (const file of [timesFile, seedTimesFile]) {
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch {
      // Not there yet: the next one.
    }
  }
  return {};
}

console.log(`${files.length} test files, ${jobs} at a time\n`);
const started = performance.now();
const queue = [...files];
const results = [];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const result = await runFile(file);
      results.push(result);
      report(result);
    }
  }),
);
const wall = (performance.now() - started) / 1000;

const previous = readTimes();
const times = Object.fromEntries(
  allFiles.filter((file) => file in previous).map((file) => [file, previous[file]]),
);
for (const { file, seconds } of results) times[file] = Math.round(seconds * 1000) / 1000;
try {
  writeFileSync(timesFile, `${JSON.stringify(times, null, 2)}\n`);
} catch {
  // Only an ordering hint for the next run.
}

const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 10);
console.log("Slowest files:");
for (const { file, seconds } of slowest) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${file}`);
const crashed = results.filter((result) => result.crash);
const failedFiles = results.filter((result) => result.failed > 0);
const passed = results.reduce((sum, result) => sum + result.passed, 0);
// Running no test at all is a failure too: a missing build must not pass as an empty success.
const nothingRan = files.length === 0 ? 1 : 0;
const failed = results.reduce((sum, result) => sum + result.failed, 0) + crashed.length + nothingRan;
const skipped = results.reduce((sum, result) => sum + result.skipped, 0);
const summed = results.reduce((sum, result) => sum + result.seconds, 0);
console.log(
  `\n${files.length} files, ${jobs} at a time: ${wall.toFixed(1)} s wall, ${summed.toFixed(1)} s summed over files` +
    `${skipped ? `; ${skipped} tests skipped` : ""}`,
);
for (const { file, failed } of failedFiles) console.log(`  failed tests in ${file}: ${failed}`);
for (const { file, crash } of crashed) console.log(`  file failed (${crash}, counted as 1 failed): ${file}`);
if (nothingRan)
  console.log(`no test file in dist/test matches ${filter} (counted as 1 failed; built? npm run build)`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
