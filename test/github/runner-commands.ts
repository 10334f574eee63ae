// What GitHub's runner would run as workflow commands in a step's output, as actions/runner decides it
// (src/Runner.Common/ActionCommand.cs, TryParseV2 and TryParse; src/Runner.Sdk/ProcessInvoker.cs reads
// stdout and stderr with StreamReader.ReadLine): a line ends at LF, CR or CRLF; a line is a command
// when, its leading whitespace (.NET's Char.IsWhiteSpace) trimmed, it starts with `::`, or when it
// holds `##[` anywhere. This errs on the side of finding more: the runner also wants a known command
// name.

/** The lines of `output` the runner would take for workflow commands. */
export function runnerCommandLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => /^[\s\u0085]*::/.test(line) || line.includes("##["));
}

/**
 * ark-sync's own commands: an annotation (`::error file=…,line=…,col=…,title=…::…`), a notice, an
 * error of the Action's, a mask. Their property values are escaped, so a name inside one cannot add
 * a property or end it early.
 */
export const OWN_COMMAND =
  /^::(?:(?:error|warning|notice) (?:file=[^,:\s]*,line=\d+,col=\d+,)?title=[^,:]*::[^\r\n]*|add-mask::[^\r\n]+)$/;
