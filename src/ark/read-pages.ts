// How the pages of one list are read (docs/ark-api.md, Paging): page 1 alone, since its TotalCount says
// how many more there are; then one more page in flight for each page answered (TCP's slow start:
// the window doubles each round), up to `maxInFlight`; each throttled answer halves the window, never
// below one page at a time. ark-cli reads pages one at a time with a delay between them and, on
// AccountFlowLimitExceeded, advises a longer delay: firing every page at once is what trips an
// account's flow limit, and under the emulator's 2 requests/s a 20-page listing fired at once used up
// its retries on throttling.

/** Reads page `pageNumber`; calls `throttled` for each throttled answer it rides out by retrying. */
export type ReadPage<T> = (pageNumber: number, throttled: () => void) => Promise<T>;

/** Every page, in order: page 1, then pages 2..pageCount(page 1) under the window. The first page that
 * fails rejects the whole read, and no page is started after it. */
export async function readPages<T>(
  readPage: ReadPage<T>,
  pageCount: (first: T) => number,
  maxInFlight: number,
): Promise<T[]> {
  let window = 1;
  const throttled = () => {
    window = Math.max(1, Math.floor(window / 2));
  };
  const answered = () => {
    window = Math.min(maxInFlight, window + 1);
  };
  const first = await readPage(1, throttled);
  answered();
  const pages: T[] = [first];
  const last = pageCount(first);
  const inFlight = new Set<Promise<void>>();
  let next = 2;
  while (next <= last || inFlight.size > 0) {
    while (next <= last && inFlight.size < window) {
      const pageNumber = next++;
      const reading: Promise<void> = readPage(pageNumber, throttled)
        .then((page) => {
          pages[pageNumber - 1] = page;
          answered();
        })
        .finally(() => inFlight.delete(reading));
      inFlight.add(reading);
    }
    await Promise.race(inFlight);
  }
  return pages;
}
