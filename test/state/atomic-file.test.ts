import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileAtomic } from "../../src/state/atomic-file.js";
import { makeTempDir, rejection } from "./helpers.js";

test("replaces the content, keeps the file's mode, leaves no temp file", async () => {
  const dir = makeTempDir("atomic");
  try {
    const path = join(dir.path, "state.json");
    await writeFileAtomic(path, "one\n");
    assert.is(readFileSync(path, "utf8"), "one\n");
    chmodSync(path, 0o600);
    await writeFileAtomic(path, "two\n");
    assert.is(readFileSync(path, "utf8"), "two\n");
    assert.is(statSync(path).mode & 0o777, 0o600);
    assert.equal(readdirSync(dir.path), ["state.json"]);
  } finally {
    dir.remove();
  }
});

test("a failed rename throws, leaves the target as it was and removes the temp file", async () => {
  const dir = makeTempDir("atomic");
  try {
    const path = join(dir.path, "state.json");
    mkdirSync(path);
    writeFileSync(join(path, "keep"), "x");
    const error = await rejection(writeFileAtomic(path, "new\n"));
    assert.match(String((error as NodeJS.ErrnoException).code), /EISDIR|ENOTEMPTY|EEXIST/);
    assert.equal(readdirSync(dir.path), ["state.json"]);
    assert.equal(readdirSync(path), ["keep"]);
  } finally {
    dir.remove();
  }
});

test.run();
