// Every shell example in README.md and docs/ runs on the emulator as written. Each block runs in a
// fresh workspace standing for the clone (a git repository with an origin, holding copies of
// manifests/ and docs/examples/), its `ark-sync` commands parsed by the real command line in this process
// (src/cli/command-line.ts) with a recording context that answers `yes` as a user at a terminal
// would; each must exit as the doc implies (0, or the N of a trailing `# … exits N`). A block that
// starts the emulator (`ark-sync emulator … &`, run as written on a free port, with no provisioning
// delay) sets up everything itself; any other runs where Getting started leaves a user: its emulator
// running and its environment exported. The clone's own setup (git clone, npm ci, …) is this
// workspace. Blocks that cannot run here are marked `<!-- not run: REASON -->` and listed.
import { EventEmitter } from "node:events";
import { cp, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeError } from "../../src/app/describe-error.js";
import { demoCredentials } from "../../src/app/emulator.js";
import { runCommandLine } from "../../src/cli/command-line.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { recordIo, testContext } from "../app/context.js";
import { git, repoRoot } from "../state/helpers.js";
import { type DocBlock, markdownFiles, readDocBlocks, type Step } from "./doc-examples.js";

/** The emulator's URL as the docs write it (its default port); replaced by the running one's. */
const DOCS_URL = "http://127.0.0.1:8787";
/** The clone's own setup, which the workspace stands for. */
const SETUP = ["git clone ", "cd ark-sync", "npm ci", "npm run build", "npm link"];

const read = markdownFiles(repoRoot).map((file) => readDocBlocks(repoRoot, file));
const blocks = read.flatMap((file) => file.blocks);

test("every not-run marker stands above a block that runs ark-sync, and says why", () => {
  assert.equal(
    read.flatMap((file) => file.strayMarkers),
    [],
    "a marker with no example block under it",
  );
  for (const block of blocks.filter((b) => b.notRun !== undefined))
    assert.ok((block.notRun ?? "").length > 10, `${block.where}: say why it cannot run`);
  const excluded = blocks.filter((b) => b.notRun !== undefined).map((b) => `  ${b.where}: ${b.notRun}`);
  console.log(`Examples not run (${excluded.length}):\n${excluded.join("\n")}`);
});

test("the examples include Getting started's: from a clone to a first endpoint in six lines", () => {
  const gettingStarted = blocks.find((block) =>
    block.steps.some(
      (step) => step.kind === "command" && step.argv.join(" ") === "ark-sync apply my-endpoints",
    ),
  );
  assert.ok(gettingStarted?.where.startsWith("README.md:"), "Getting started is found and run");
  const lines = new Set((gettingStarted?.steps ?? []).map((step) => step.where));
  assert.ok(lines.size <= 6, `Getting started takes ${lines.size} lines of commands, not six or fewer`);
  assert.ok(blocks.filter((block) => block.notRun === undefined).length >= 4);
});

for (const block of blocks.filter((b) => b.notRun === undefined)) {
  test(`${block.where} runs on the emulator as written`, () => runBlock(block));
}

interface Running {
  stop(): Promise<void>;
}

async function runBlock(block: DocBlock): Promise<void> {
  if (block.problem !== undefined)
    throw new Error(`${block.problem}: make it runnable, or mark its block <!-- not run: REASON -->`);
  const workspace = await mkdtemp(join(tmpdir(), "ark-sync-doc-example-"));
  await cp(join(repoRoot, "manifests"), join(workspace, "manifests"), { recursive: true });
  await cp(join(repoRoot, "docs/examples"), join(workspace, "docs/examples"), { recursive: true });
  // A clone: a git repository with an origin (a local bare one), where git state branches live.
  git(workspace, ["init", "--quiet"]);
  git(workspace, ["init", "--quiet", "--bare", join(workspace, ".origin.git")]);
  git(workspace, ["remote", "add", "origin", join(workspace, ".origin.git")]);
  const running: Running[] = [];
  let env: Record<string, string> = {};
  let url: string | undefined;
  const startsEmulator = block.steps.some(
    (step) => step.kind === "command" && step.argv[0] === "ark-sync" && step.argv[1] === "emulator",
  );
  if (!startsEmulator) {
    const emulator = await startEmulator({ ...demoCredentials, provisioningDelayMs: 0 });
    running.push({ stop: () => emulator.close() });
    url = emulator.url;
    env = {
      VOLC_ACCESSKEY: demoCredentials.accessKey,
      VOLC_SECRETKEY: demoCredentials.secretKey,
      ARK_SYNC_API_URL: url,
    };
  }
  const started = process.cwd();
  process.chdir(workspace);
  try {
    for (const step of block.steps) {
      const withUrl = (text: string) => (url === undefined ? text : text.replaceAll(DOCS_URL, url));
      if (step.kind === "write") {
        await writeFile(step.file, step.content);
        continue;
      }
      if ([...step.argv, ...Object.values(step.env)].some((word) => word.includes("…")))
        fail(step, "has a placeholder (…)");
      const stepEnv = {
        ...env,
        ...Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, withUrl(v)])),
      };
      const [program, ...args] = step.argv;
      if (program === "ark-sync" && args.includes("--watch")) fail(step, "runs until it is stopped");
      if (program === "ark-sync" && args[0] === "emulator") {
        const emulator = await startEmulatorCommand(step, args, stepEnv);
        running.push(emulator);
        url = emulator.url;
      } else if (program === "ark-sync") {
        const result = await runArkSync(args.map(withUrl), stepEnv);
        assert.is(
          result.code,
          step.expectedExit,
          `${step.where}: ${step.text}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`,
        );
      } else if (program === "export") {
        for (const assignment of args) {
          const equals = assignment.indexOf("=");
          env[assignment.slice(0, equals)] = withUrl(assignment.slice(equals + 1));
        }
      } else if (program === "mkdir") {
        for (const dir of args.filter((arg) => arg !== "-p"))
          await mkdir(dir, { recursive: args.includes("-p") });
      } else if (program === "cp" && args.length === 2) {
        const [from, to] = args as [string, string];
        const isDir = await stat(to).then(
          (s) => s.isDirectory(),
          () => false,
        );
        await cp(from, isDir ? join(to, basename(from)) : to);
      } else if (!SETUP.some((setup) => `${step.argv.join(" ")} `.startsWith(setup))) {
        fail(step, "is no command this test runs");
      }
    }
  } finally {
    for (const emulator of running.reverse()) await emulator.stop();
    process.chdir(started);
    await rm(workspace, { recursive: true, force: true });
  }
}

function fail(step: Step, why: string): never {
  throw new Error(
    `${step.where}: ${step.text.trim()} ${why}: make it runnable, or mark its block <!-- not run: REASON -->`,
  );
}

/** `ark-sync ARGS` through the real command line, in this process. */
async function runArkSync(args: string[], env: Record<string, string>) {
  const io = recordIo(true);
  const ctx = testContext({ io, env, cwd: process.cwd(), confirm: async () => true });
  // yargs reads ARK_SYNC_* from the process's environment, as the CLI does.
  const fromEnv = Object.keys(env).filter((key) => key.startsWith("ARK_SYNC_"));
  for (const key of fromEnv) process.env[key] = env[key];
  let code = 0;
  try {
    await runCommandLine(args, {
      context: () => ctx,
      exit: (exitCode) => {
        code = exitCode;
      },
    });
  } catch (error) {
    io.err(describeError(error, false));
    code = 1;
  } finally {
    for (const key of fromEnv) delete process.env[key];
  }
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** `ark-sync emulator ARGS &`, run as written on a free port; stopped as Ctrl-C would. */
async function startEmulatorCommand(
  step: Step,
  args: string[],
  env: Record<string, string>,
): Promise<Running & { url: string }> {
  const io = recordIo();
  const signals = new EventEmitter();
  const ctx = testContext({ io, env, signals });
  const extra = [
    ...(args.some((arg) => arg.startsWith("--port")) ? [] : ["--port", "0"]),
    ...(args.some((arg) => arg.startsWith("--provisioning-delay")) ? [] : ["--provisioning-delay", "0"]),
  ];
  let ended: string | undefined;
  const done = runCommandLine([...args, ...extra], { context: () => ctx, exit: () => {} }).then(
    () => {
      ended = "it exited";
    },
    (error) => {
      ended = describeError(error, false);
    },
  );
  let listening = /^listening on (\S+)$/m.exec(io.stdout);
  while (!listening) {
    if (ended !== undefined) fail(step, `did not start: ${ended}${io.stderr}`);
    await delay(5);
    listening = /^listening on (\S+)$/m.exec(io.stdout);
  }
  return {
    url: listening[1] as string,
    stop: async () => {
      signals.emit("SIGINT");
      await done;
    },
  };
}

test.run();
