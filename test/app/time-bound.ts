// A time bound for a use case that reads files which could block it: a test fails, late, instead of
// hanging the suite when a pipe is read after all.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import * as assert from "uvu/assert";

/**
 * Runs `task`, failing when it takes `seconds` or more. A read blocked on a pipe cannot be cancelled,
 * so after the bound each pipe is opened for writing and closed: the blocked reader sees its end and
 * the task finishes, late, instead of hanging the suite.
 */
export async function within<T>(seconds: number, pipes: string[], task: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, seconds * 1000);
  });
  const running = task();
  const first = await Promise.race([running.then(() => "done" as const), late.then(() => "late" as const)]);
  clearTimeout(timer);
  if (first === "late") {
    for (const pipe of pipes) {
      const writer = await open(pipe, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
      await writer?.close();
    }
  }
  const result = await running;
  const taken = (performance.now() - started) / 1000;
  assert.ok(taken < seconds, `took ${taken.toFixed(1)} s`);
  return result;
}
