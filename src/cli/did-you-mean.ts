// "Did you mean …?" for a misspelt command or flag: the known names closest to what was typed.

/** Edits between `a` and `b`: insertions, deletions, substitutions and swaps of two neighbours
 * (optimal string alignment), so `stauts` is one edit from `status`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The names nearest `typed`, if within a few edits (one per three letters, at least one, at most
 * three), and those that start with it (three letters or more); ties keep the order of `names`.
 * Dashes do not count: `detailed-exit-code` is `detailed-exitcode`. */
export function closestNames(typed: string, names: readonly string[]): string[] {
  const bare = (name: string) => name.toLowerCase().replace(/-/g, "");
  const word = bare(typed);
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  const scored = names.map((name, index) => ({
    name,
    index,
    distance: editDistance(word, bare(name)),
    prefix: word.length >= 3 && bare(name).startsWith(word),
  }));
  const best = Math.min(limit, ...scored.map((candidate) => candidate.distance));
  return scored
    .filter((candidate) => candidate.distance === best || candidate.prefix)
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .map((candidate) => candidate.name);
}

/** `a`, `a or b`, `a, b or c`. */
export function listAlternatives(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}
