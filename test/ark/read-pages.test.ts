// readPages' window, driven page by page: page 1 alone, one more page in flight per page answered,
// halved by each throttled answer, never above the limit, and stopped by the first failure.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readPages } from "../../src/ark/read-pages.js";

const test = suite("readPages");

interface Pending {
  pageNumber: number;
  answer(): void;
  fail(error: Error): void;
  throttled(): void;
}

/** A read of `pages` pages whose every page waits for the test to answer it. */
function scripted(pages: number, maxInFlight: number) {
  const pending: Pending[] = [];
  const started: number[] = [];
  const result = readPages<{ pageNumber: number; total: number }>(
    (pageNumber, throttled) =>
      new Promise((resolve, reject) => {
        started.push(pageNumber);
        pending.push({
          pageNumber,
          answer: () => resolve({ pageNumber, total: pages }),
          fail: reject,
          throttled,
        });
      }),
    (first) => first.total,
    maxInFlight,
  );
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const take = (pageNumber: number): Pending => {
    const index = pending.findIndex((page) => page.pageNumber === pageNumber);
    const [page] = pending.splice(index, 1);
    if (!page) throw new Error(`page ${pageNumber} is not in flight`);
    return page;
  };
  return {
    result,
    started,
    inFlight: () => pending.map((page) => page.pageNumber).sort((a, b) => a - b),
    async answer(pageNumber: number) {
      take(pageNumber).answer();
      await settle();
    },
    async fail(pageNumber: number) {
      take(pageNumber).fail(new Error(`page ${pageNumber} failed`));
      await settle();
    },
    throttle(pageNumber: number) {
      pending.find((page) => page.pageNumber === pageNumber)?.throttled();
    },
  };
}

test("page 1 alone, then one more in flight per page answered", async () => {
  const read = scripted(7, 10);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(read.inFlight(), [1]);
  await read.answer(1);
  assert.equal(read.inFlight(), [2, 3]);
  await read.answer(2);
  assert.equal(read.inFlight(), [3, 4, 5]);
  await read.answer(3);
  assert.equal(read.inFlight(), [4, 5, 6, 7]);
  for (const page of [5, 4, 7, 6]) await read.answer(page);
  const pages = await read.result;
  assert.equal(
    pages.map((page) => page.pageNumber),
    [1, 2, 3, 4, 5, 6, 7],
    "in page order, whatever order they were answered in",
  );
});

test("each throttled answer halves the window, never below one page", async () => {
  const read = scripted(12, 10);
  await new Promise((resolve) => setImmediate(resolve));
  await read.answer(1);
  await read.answer(2);
  assert.equal(read.inFlight(), [3, 4, 5], "window 3");
  read.throttle(3); // window 1
  read.throttle(4); // still 1
  await read.answer(3); // window 2, and two are still in flight
  assert.equal(read.inFlight(), [4, 5]);
  await read.answer(4); // window 3
  assert.equal(read.inFlight(), [5, 6, 7]);
  while (read.inFlight().length > 0) await read.answer(read.inFlight()[0] as number);
  assert.is((await read.result).length, 12);
  assert.equal(read.started, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

test("never more than maxInFlight at once", async () => {
  const read = scripted(6, 2);
  await new Promise((resolve) => setImmediate(resolve));
  await read.answer(1);
  await read.answer(2);
  await read.answer(3);
  assert.equal(read.inFlight(), [4, 5]);
  await read.answer(4);
  await read.answer(5);
  await read.answer(6);
  assert.is((await read.result).length, 6);
});

test("a single page: one read", async () => {
  const read = scripted(1, 10);
  await new Promise((resolve) => setImmediate(resolve));
  await read.answer(1);
  assert.is((await read.result).length, 1);
  assert.equal(read.started, [1]);
});

test("the first failure rejects the read, and no page starts after it", async () => {
  const read = scripted(9, 10);
  const outcome = read.result.then(
    () => "resolved",
    (error: Error) => error.message,
  );
  await new Promise((resolve) => setImmediate(resolve));
  await read.answer(1);
  await read.fail(2);
  assert.is(await outcome, "page 2 failed");
  await read.answer(3);
  assert.equal(read.started, [1, 2, 3]);
});

test.run();
