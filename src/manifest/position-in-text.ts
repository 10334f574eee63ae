/** 1-based line and column (in UTF-16 code units) of an offset, for text no line counter has seen. */
export function positionInText(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf("\n");
    index !== -1 && index < offset;
    index = text.indexOf("\n", index + 1)
  ) {
    line++;
    lineStart = index + 1;
  }
  return { line, col: offset - lineStart + 1 };
}
