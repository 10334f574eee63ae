// Runs yaml's CST parser token by token so that nesting depth is bounded while parsing: the YAML
// composer, toJS, ajv and our checks all recurse per level, and a stack overflow can take down the
// whole process. The lexer and the CST parser themselves are iterative, and the parser's stack of
// open tokens shows the depth as it grows, so a file of a million brackets is refused at the 33rd.
// Each token is handed on as the parser completes it (a whole document at a time), so a caller can
// compose it and let it go rather than hold the CST of the whole file.
import { CST, Lexer, Parser } from "yaml";

/** The offset of the collection nested too deep, or undefined when the file is within `maxDepth`. */
export function parseCst(
  source: string,
  maxDepth: number,
  onNewLine: (offset: number) => void,
  onToken: (token: CST.Token) => void,
): number | undefined {
  const parser = new Parser(onNewLine);
  onNewLine(0);
  for (const lexeme of new Lexer().lex(source)) {
    for (const token of parser.next(lexeme)) onToken(token);
    // The stack also holds the document and scalars; count collections only when it could matter.
    if (parser.stack.length > maxDepth) {
      const tooDeep = parser.stack.filter((token) => CST.isCollection(token))[maxDepth];
      if (tooDeep !== undefined) return tooDeep.offset;
    }
  }
  for (const token of parser.end()) onToken(token);
  return undefined;
}
