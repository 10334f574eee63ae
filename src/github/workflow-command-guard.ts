// Under GitHub Actions, keeps every line ark-sync writes from being run as a workflow command, except
// ark-sync's own commands, which take a separate, explicit path (docs/github.md#workflow-commands).
//
// The runner reads a step's stdout and stderr a line at a time (a line ends at LF, CR or CRLF) and
// runs a line as a command when, its leading whitespace trimmed, it starts with `::`, or when it
// holds `##[` anywhere (the older form). So in everything else, a `:` that is the first non-blank
// character of a line is written `\u003a`, and a `[` that follows `##` is written `\u005b`: JSON's
// escapes for those characters, so JSON output still parses to the same values (in JSON, `#` occurs
// only inside strings, and no line starts with `:`), and text shows which character was replaced.
import { ArkSyncError } from "../core/errors.js";

export interface GuardedOutput {
  /** Output that is not a workflow command: whatever GitHub would run as one is defused. */
  write(text: string): void;
  /** ark-sync's own workflow commands: whole lines, each starting with `::`, written as they are. */
  command(lines: string): void;
}

/** A `:` after nothing but blanks since the last line break: `prefix` is the break and the blanks. */
const COMMAND_START = /(^|[\n\r])((?:[^\S\n\r]|\u0085)*):/g;
/** A `[` after two `#`. */
const LEGACY_COMMAND = /(?<=##)\[/g;
/** The line written so far holds only blanks: a `:` next would start a command. */
const AT_LINE_START = /(^|[\n\r])(?:[^\S\n\r]|\u0085)*$/;

/**
 * `write` wrapped so that it never writes a workflow command but through `command`. Output may come in
 * any pieces: the guard remembers where the last one left off.
 */
export function guardWorkflowCommands(write: (text: string) => void): GuardedOutput {
  // What the last piece ended with, as far as the rules look back: a line break when the line so far
  // is blank (else any other character), then its trailing `#`s, at most two.
  let context = "\n";
  return {
    write(text) {
      if (text === "") return;
      const guarded = `${context}${text}`
        .replace(COMMAND_START, "$1$2\\u003a")
        .replace(LEGACY_COMMAND, "\\u005b")
        .slice(context.length);
      const seen = `${context}${text}`;
      context = `${AT_LINE_START.test(seen) ? "\n" : "x"}${/#{0,2}$/.exec(seen)?.[0] ?? ""}`;
      write(guarded);
    },
    command(lines) {
      if (lines === "") return;
      if (!/^(?:::[^\n\r]*\n)+$/.test(lines)) {
        // This path carries ark-sync's own commands and nothing else.
        throw new ArkSyncError(
          "internal",
          "workflow_command_invalid",
          `Not a workflow command line: ${JSON.stringify(lines.slice(0, 80))}`,
        );
      }
      // A command counts only at the start of a line.
      write(context.startsWith("\n") ? lines : `\n${lines}`);
      context = "\n";
    },
  };
}
