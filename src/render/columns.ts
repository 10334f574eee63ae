// A table for people, kubectl get style: each column as wide as its widest cell, two spaces apart,
// no trailing spaces. Cells are drawn as given: callers escape them first.
export function formatColumns(table: readonly (readonly string[])[]): string[] {
  const columns = table[0]?.length ?? 0;
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...table.map((row) => row[column]?.length ?? 0)),
  );
  return table.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}
