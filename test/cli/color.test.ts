// Colour only on a terminal, never with NO_COLOR or --no-color, never when piped. `script` (util-linux,
// essential on Debian) gives the CLI a real pseudo-terminal.
import { spawnSync } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cleanEnv, cliPath } from "./run-cli.js";

const planArgs = ["plan", "manifests", "--refresh=false"];
const csi = "\u001b[";
const hasColour = (text: string) => text.includes(csi);
const plain = (text: string) =>
  text
    .split(csi)
    .map((part, i) => (i === 0 ? part : part.replace(/^[0-9;]*m/, "")))
    .join("");

function onTerminal(args: string[], env: NodeJS.ProcessEnv): string {
  const command = [process.execPath, cliPath, ...args].map((part) => `'${part}'`).join(" ");
  const result = spawnSync("script", ["-qec", command, "/dev/null"], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.is(result.status, 0, result.stderr);
  return result.stdout;
}

test("on a terminal the plan is coloured", () => {
  const out = onTerminal(planArgs, cleanEnv());
  assert.ok(hasColour(out));
  assert.match(plain(out), "Plan: 2 to add");
});

test("NO_COLOR and --no-color turn colour off on a terminal", () => {
  assert.not.ok(hasColour(onTerminal(planArgs, cleanEnv({ NO_COLOR: "1" }))));
  assert.not.ok(hasColour(onTerminal([...planArgs, "--no-color"], cleanEnv())));
});

test("piped output and JSON are never coloured", () => {
  const piped = spawnSync(process.execPath, [cliPath, ...planArgs], { env: cleanEnv(), encoding: "utf8" });
  assert.is(piped.status, 0);
  assert.not.ok(hasColour(piped.stdout));
  const json = onTerminal([...planArgs, "--json"], cleanEnv());
  assert.not.ok(hasColour(json));
  assert.type(JSON.parse(json.replace(/\r\n/g, "\n")).plan_hash, "string");
});

test.run();
