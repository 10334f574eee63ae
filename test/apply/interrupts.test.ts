// Interrupts during apply, in this process: the signals are raised on the test's own emitter and the
// hard stop's exit is recorded rather than ending the test run.
import { EventEmitter } from "node:events";
import * as assert from "uvu/assert";
import { applyHere, cloudSuite, endpointYaml, recordIo } from "./helpers.js";

const interrupts = cloudSuite("apply interrupts");

interrupts(
  "a second interrupt before anything was recorded says nothing was recorded, not 'written'",
  async ({ cloud, ws }) => {
    await ws.write("chat.yaml", endpointYaml("chat"));
    const io = recordIo();
    const signals = new EventEmitter();
    const write = io.err;
    io.err = (text) => {
      write(text);
      // Both interrupts arrive as the first create is announced, before its call is sent.
      if (text.includes("Creating...")) {
        signals.emit("SIGINT");
        signals.emit("SIGINT");
      }
    };
    const exits: number[] = [];
    const exited = new Promise<void>((resolve) => signals.once("exited", resolve));
    const run = applyHere(
      cloud,
      ws.manifests,
      {},
      {
        io,
        signals,
        exit: (code) => {
          exits.push(code);
          signals.emit("exited");
        },
      },
    );
    await exited;
    assert.equal(exits, [1]);
    assert.match(io.stderr, "Second interrupt received: writing the state and exiting now.");
    assert.match(io.stderr, "Finished before stopping: default/chat (not_started)");
    assert.match(io.stderr, /State: no endpoint was recorded in local state \S+ \(nothing had completed\)\./);
    assert.not.match(io.stderr, "State: written");
    assert.is((await run).code, 1);
    assert.equal((await ws.state())?.resources, {}, "no endpoint was recorded");
    assert.is(cloud.listEndpoints().length, 0);
  },
);

interrupts.run();
