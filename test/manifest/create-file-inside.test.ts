// Files created inside a directory and nowhere else: folders made as needed, symbolic links followed
// only where they stay inside, a link in the file's own place never written through, and everything
// made taken back on request.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  createFileInside,
  findWayOut,
  OutsideDirectoryError,
  removeCreated,
} from "../../src/manifest/create-file-inside.js";
import { makeTempDir, rejection } from "../state/helpers.js";

function withDirs(run: (root: string, outside: string) => Promise<void>) {
  return async () => {
    const temp = makeTempDir("inside");
    try {
      mkdirSync(join(temp.path, "root"));
      mkdirSync(join(temp.path, "outside"));
      await run(join(temp.path, "root"), join(temp.path, "outside"));
    } finally {
      temp.remove();
    }
  };
}

test(
  "creates the folders it needs, and takes back the files and the folders it made",
  withDirs(async (root) => {
    mkdirSync(join(root, "kept"));
    const created = [
      await createFileInside(root, "a.yaml", "a\n"),
      await createFileInside(root, "research/deep/b.yaml", "b\n"),
      await createFileInside(root, "kept/c.yaml", "c\n"),
    ];
    assert.is(readFileSync(join(root, "research", "deep", "b.yaml"), "utf8"), "b\n");
    assert.equal(created[1]?.folders, [join(root, "research"), join(root, "research", "deep")]);
    assert.equal(created[2]?.folders, []);
    await removeCreated(created);
    assert.equal(readdirSync(root), ["kept"]);
    assert.equal(readdirSync(join(root, "kept")), []);
  }),
);

test(
  "a folder that is a link out of the directory is found before, and refused during, a write",
  withDirs(async (root, outside) => {
    symlinkSync(outside, join(root, "research"));
    const way = await findWayOut(root, "research/b.yaml");
    assert.instance(way, OutsideDirectoryError);
    assert.is(way?.where, join(root, "research"));
    assert.is(way?.target, outside);
    const refused = await rejection(createFileInside(root, "research/b.yaml", "b\n"));
    assert.instance(refused, OutsideDirectoryError);
    assert.equal(readdirSync(outside), []);
  }),
);

test(
  "a link that stays inside the directory is followed",
  withDirs(async (root) => {
    mkdirSync(join(root, "real"));
    symlinkSync(join(root, "real"), join(root, "alias"));
    assert.is(await findWayOut(root, "alias/b.yaml"), undefined);
    const created = await createFileInside(root, "alias/b.yaml", "b\n");
    assert.is(created.real, join(root, "real", "b.yaml"));
  }),
);

test(
  "a file in the way, or a link in the file's place, is never written through",
  withDirs(async (root, outside) => {
    symlinkSync(join(outside, "target.yaml"), join(root, "dangling.yaml"));
    const refused = await rejection(createFileInside(root, "dangling.yaml", "x\n"));
    assert.is(refused.code, "EEXIST");
    assert.not.ok(existsSync(join(outside, "target.yaml")));
    assert.is(await findWayOut(root, "missing/folders/b.yaml"), undefined, "nothing there yet is fine");
  }),
);

test.run();
