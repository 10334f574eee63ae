// Greedy word wrap for prose (notes, warning details); plan lines themselves are never wrapped.

/** Splits text into lines of at most `width` columns, breaking at spaces; a longer word keeps its line. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ").filter((part) => part !== "")) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}
