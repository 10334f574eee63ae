// Runs yaml's CST parser token by token so that nesting depth is bounded while parsing: the YAML
// composer, toJS, ajv and our checks all recurse per level, and a stack overflow can take down the
// whole process. The lexer and the CST parser themselves are iterative, and the parser's stack of
// open tokens shows the depth as it grows, so a file of a million brackets is refused at the 33rd.
import { CST, Lexer, Parser } from "yaml";

export type CstParse = { tokens: CST.Token[] } | { tooDeepAt: number };

export function parseCst(source: string, maxDepth: number, onNewLine: (offset: number) => void): CstParse {
  const parser = new Parser(onNewLine);
  onNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(source)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The stack also holds the document and scalars; count collections only when it could matter.
    if (parser.stack.length > maxDepth) {
      const tooDeep = parser.stack.filter((token) => CST.isCollection(token))[maxDepth];
      if (tooDeep !== undefined) return { tooDeepAt: tooDeep.offset };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}
