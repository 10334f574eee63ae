// "Did you mean ...?" for a misspelt attribute or value.

/** The candidate closest to `name`, when it is close enough to be a likely typo. */
export function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const normalised = normalise(name);
  const sameWord = candidates.find((candidate) => normalise(candidate) === normalised);
  if (sameWord !== undefined) return sameWord;
  const limit = normalised.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(normalised, normalise(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `RateLimit`, `rate-limit` and `ratelimit` all read as `rate_limit`. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, "");
}

/** Optimal string alignment distance: insertions, deletions, substitutions and transpositions. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Number.POSITIVE_INFINITY;
  const width = b.length + 1;
  const cells = new Array<number>((a.length + 1) * width).fill(0);
  const at = (i: number, j: number) => cells[i * width + j] ?? 0;
  for (let i = 0; i <= a.length; i++) cells[i * width] = i;
  for (let j = 0; j <= b.length; j++) cells[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      }
      cells[i * width + j] = distance;
    }
  }
  return at(a.length, b.length);
}
