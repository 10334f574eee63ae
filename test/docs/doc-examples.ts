// The shell examples of README.md and docs/, read as a user would type them: every fenced `sh`,
// `console`, `bash` or `shell` block that runs `ark-sync`, split into steps (a command with its
// `K=V` prefix, or a heredoc that writes a file). A block whose previous non-blank line is
// `<!-- not run: REASON -->` is listed with its reason instead (test/docs/examples.test.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface DocBlock {
  /** `README.md:42`: the file, relative to the repository, and the line of the opening fence. */
  where: string;
  /** The reason of its `<!-- not run: … -->` marker, when it has one. */
  notRun?: string;
  steps: Step[];
  /** What this test cannot read in it (a shell variable, a pipe…). */
  problem?: string;
}

export type Step =
  | {
      kind: "command";
      /** `README.md:43`. */
      where: string;
      /** As written (continuations joined), for messages. */
      text: string;
      env: Record<string, string>;
      argv: string[];
      background: boolean;
      /** From a trailing `# … exits N` comment; 0 when the comment says nothing. */
      expectedExit: number;
    }
  | { kind: "write"; where: string; text: string; file: string; content: string };

const SHELL_LANGUAGES = new Set(["sh", "console", "bash", "shell"]);
const NOT_RUN = /^<!--\s*not run:\s*(.*?)\s*-->$/;

export function markdownFiles(repoRoot: string): string[] {
  const docs = readdirSync(join(repoRoot, "docs"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(repoRoot, "docs", name));
  return [join(repoRoot, "README.md"), ...docs];
}

/** The blocks of `file` that run `ark-sync`, each with its steps, or a marker left with no such block. */
export function readDocBlocks(
  repoRoot: string,
  file: string,
): { blocks: DocBlock[]; strayMarkers: string[] } {
  const name = relative(repoRoot, file);
  const lines = readFileSync(file, "utf8").split("\n");
  const blocks: DocBlock[] = [];
  const strayMarkers: string[] = [];
  let marker: { reason: string; line: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const notRun = NOT_RUN.exec(line.trim());
    if (notRun) {
      if (marker) strayMarkers.push(`${name}:${marker.line}`);
      marker = { reason: notRun[1] ?? "", line: index + 1 };
      continue;
    }
    const open = /^ {0,3}(`{3,})(\S*)/.exec(line);
    if (!open) {
      if (line.trim() !== "" && marker) {
        strayMarkers.push(`${name}:${marker.line}`);
        marker = undefined;
      }
      continue;
    }
    const fence = open[1] ?? "```";
    const close = lines.findIndex((l, i) => i > index && l.trim().startsWith(fence) && /^`+$/.test(l.trim()));
    const end = close === -1 ? lines.length : close;
    const body = lines.slice(index + 1, end).map((text, i) => ({ text, line: index + 2 + i }));
    const runsArkSync = body.some(({ text }) => /(^|\$ |&& |=\S* )ark-sync /.test(text.trim()));
    if (SHELL_LANGUAGES.has(open[2] ?? "") && runsArkSync) {
      blocks.push({
        where: `${name}:${index + 1}`,
        ...(marker ? { notRun: marker.reason, steps: [] } : parseBlock(name, body)),
      });
    } else if (marker) {
      strayMarkers.push(`${name}:${marker.line}`);
    }
    marker = undefined;
    index = end;
  }
  if (marker) strayMarkers.push(`${name}:${marker.line}`);
  return { blocks, strayMarkers };
}

function parseBlock(
  name: string,
  body: { text: string; line: number }[],
): Pick<DocBlock, "steps" | "problem"> {
  try {
    return { steps: parseSteps(name, body) };
  } catch (error) {
    return { steps: [], problem: error instanceof Error ? error.message : String(error) };
  }
}

function parseSteps(name: string, body: { text: string; line: number }[]): Step[] {
  // A console block's commands are its `$ ` lines; the rest is their output.
  const isConsole = body.some(({ text }) => text.startsWith("$ "));
  const steps: Step[] = [];
  for (let i = 0; i < body.length; i++) {
    const first = body[i] as { text: string; line: number };
    let text = first.text;
    if (isConsole) {
      if (!text.startsWith("$ ")) continue;
      text = text.slice(2);
    }
    while (text.endsWith("\\") && i + 1 < body.length)
      text = `${text.slice(0, -1)} ${body[++i]?.text.trim()}`;
    const where = `${name}:${first.line}`;
    if (text.trim() === "" || text.trim().startsWith("#")) continue;
    const heredoc = /^cat > (\S+) <<'?(\w+)'?$/.exec(text.trim());
    if (heredoc) {
      const content: string[] = [];
      while (i + 1 < body.length && body[i + 1]?.text !== heredoc[2]) content.push(body[++i]?.text ?? "");
      i++;
      steps.push({ kind: "write", where, text, file: heredoc[1] ?? "", content: `${content.join("\n")}\n` });
      continue;
    }
    const { words, comment } = splitWords(text, where);
    for (const command of splitCommands(words)) {
      const background = command.at(-1) === "&";
      const rest = background ? command.slice(0, -1) : command;
      const env: Record<string, string> = {};
      while (rest[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(rest[0])) {
        const assignment = rest.shift() as string;
        env[assignment.slice(0, assignment.indexOf("="))] = assignment.slice(assignment.indexOf("=") + 1);
      }
      const exits = /\bexits? (\d)\b/.exec(comment);
      steps.push({
        kind: "command",
        where,
        text,
        env,
        argv: rest,
        background,
        expectedExit: exits ? Number(exits[1]) : 0,
      });
    }
  }
  return steps;
}

/** Shell words (quotes removed), the operators `&&` and `&` as words, and the trailing comment. */
function splitWords(text: string, where: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      if (end === -1) throw new Error(`${where}: unterminated quote`);
      const quoted = text.slice(i + 1, end);
      if (char === '"' && quoted.includes("$"))
        throw new Error(`${where}: ${text.trim()} uses a shell variable`);
      word = (word ?? "") + quoted;
      i = end;
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === "#" && word === null) {
      return { words, comment: text.slice(i + 1).trim() };
    } else if (char === "$" || char === "|" || char === ";" || char === ">" || char === "<") {
      throw new Error(
        `${where}: ${text.trim()} needs a shell feature (${char}) the examples test does not run`,
      );
    } else {
      word = (word ?? "") + char;
    }
  }
  if (word !== null) words.push(word);
  return { words, comment: "" };
}

function splitCommands(words: string[]): string[][] {
  const commands: string[][] = [[]];
  for (const word of words) {
    if (word === "&&") commands.push([]);
    else commands[commands.length - 1]?.push(word);
  }
  return commands.filter((command) => command.length > 0);
}
