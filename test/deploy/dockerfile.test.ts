// The Dockerfile, read as text (no docker here; docs/deploy.md says what was not run): Node 24 slim,
// production dependencies only, a numeric non-root user, nothing secret baked in, writable places
// that a read-only root filesystem can mount, and every file it copies from the build present in a
// build of this checkout.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoRoot } from "../state/helpers.js";

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
const all = instructions(dockerfile);
/** The runtime image: the instructions after the last FROM. */
const runtime = all.slice(all.map((instruction) => instruction.keyword).lastIndexOf("FROM"));
const of = (list: Instruction[], keyword: string) =>
  list.filter((instruction) => instruction.keyword === keyword);

test("every stage is Node 24 slim, pinned by a tag (a digest can be given as NODE_IMAGE)", () => {
  const image = /^NODE_IMAGE=(\S+)$/.exec(of(all, "ARG")[0]?.args ?? "")?.[1] ?? "";
  assert.match(image, /^node:24-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/);
  assert.equal(
    of(all, "FROM").map((from) => from.args.split(" ")[0]),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable
    ["${NODE_IMAGE}", "${NODE_IMAGE}"],
  );
});

test("the runtime image: production dependencies only, a numeric non-root user, ark-sync as the entry point", () => {
  const installs = of(runtime, "RUN").filter((run) => /\bnpm (ci|install)\b/.test(run.args));
  assert.is(installs.length, 1);
  assert.match(installs[0]?.args ?? "", /npm ci --omit=dev --ignore-scripts/);
  const users = of(runtime, "USER");
  assert.is(users.length, 1);
  assert.is(runtime.at(-2)?.keyword, "ENTRYPOINT", "the entry point comes after USER");
  const [uid, gid] = (users[0]?.args ?? "").split(":").map(Number);
  assert.ok(uid !== undefined && uid > 0 && gid !== undefined && gid > 0, `USER ${users[0]?.args}`);
  assert.is(of(runtime, "ENTRYPOINT")[0]?.args, '["ark-sync"]');
});

test("nothing secret is baked in: no key, token or password in ENV or ARG", () => {
  for (const instruction of [...of(all, "ENV"), ...of(all, "ARG")])
    assert.not.match(instruction.args, /VOLC_|SECRET|TOKEN|PASSWORD|ACCESSKEY|_KEY\b/i, instruction.args);
  const env = of(runtime, "ENV")[0]?.args ?? "";
  assert.match(env, /HOME=\/tmp/, "git and npm write under HOME: a mounted /tmp");
  assert.match(env, /XDG_CACHE_HOME=\/var\/cache\/ark-sync/, "the --repo working copies");
});

test(".dockerignore keeps state, credentials, git and the local build out of the context", () => {
  const ignored = readFileSync(join(repoRoot, ".dockerignore"), "utf8").split("\n");
  for (const entry of ["**/.ark-sync", "**/.env", "**/.volc", ".git", "node_modules", "dist"])
    assert.ok(ignored.includes(entry), entry);
});

test("every path the runtime stage copies from the build exists in a build of this checkout", () => {
  const copies = of(runtime, "COPY").filter((copy) => copy.args.startsWith("--from=build"));
  assert.is(copies.length, 3);
  for (const copy of copies) {
    const from = copy.args.split(" ")[1]?.replace(/^\/src\//, "") ?? "";
    assert.ok(existsSync(join(repoRoot, from)), from);
  }
  assert.ok(existsSync(join(repoRoot, "dist/src/cli/main.js")));
  assert.match(readFileSync(join(repoRoot, "dist/src/cli/main.js"), "utf8"), /^#!\/usr\/bin\/env node\n/);
});

test.run();
