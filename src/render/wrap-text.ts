// Greedy word wrap for prose (notes, warning details); plan lines themselves are never wrapped.

/**
 * Splits text into lines of at most `width` columns, breaking at spaces and keeping the text's own
 * line breaks. A word longer than `width` (a URL, a path) is cut into pieces that fill whole lines,
 * as a terminal of that width would show it, so nothing sticks out of the column.
 */
export function wrapText(text: string, width: number): string[] {
  const columns = Math.max(1, Math.floor(width));
  const paragraphs = text.split("\n");
  return paragraphs.flatMap((paragraph) => {
    const lines = wrapParagraph(paragraph, columns);
    // An empty line between paragraphs is kept; empty text is no line at all.
    return lines.length === 0 && paragraphs.length > 1 ? [""] : lines;
  });
}

function wrapParagraph(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of paragraph.split(" ").filter((part) => part !== "")) {
    if (line !== "" && line.length + 1 + word.length <= width) {
      line += ` ${word}`;
      continue;
    }
    if (line !== "") lines.push(line);
    line = word;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}
