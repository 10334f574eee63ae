// Reads one manifest file as text, refusing what is not a small, regular, UTF-8 text file
// (docs/manifests.md#limits-and-hostile-input).

import { readRegularFile } from "../core/read-regular-file.js";
import type { Diagnostic } from "./diagnostic.js";
import { MAX_FILE_BYTES } from "./limits.js";
import { positionInText } from "./position-in-text.js";
import { quote } from "./quote.js";

/** Characters YAML 1.2 does not allow in a stream (outside c-printable): C0 and C1 controls but tab,
 * line feed, carriage return and NEL, and the non-characters U+FFFE and U+FFFF. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NOT_YAML_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

export type ManifestText = { text: string } | { diagnostic: Diagnostic };

export async function readManifestText(file: string): Promise<ManifestText> {
  const fail = (code: string, message: string, line = 1, col = 1): ManifestText => ({
    diagnostic: { file, line, col, severity: "error", code, message },
  });
  const read = await readRegularFile(file, MAX_FILE_BYTES);
  if (!("bytes" in read)) {
    switch (read.code) {
      case "unreadable_file":
        return fail(read.code, `cannot read file: ${read.reason}`);
      case "not_a_file":
        return fail(read.code, read.reason);
      case "file_too_large":
        return fail(read.code, `file is ${read.reason}; split it into smaller manifests`);
    }
  }
  const { bytes } = read;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const bad = findInvalidUtf8(bytes);
    const utf16 =
      bytes[0] === 0xff || bytes[0] === 0xfe ? "; the file looks like UTF-16, save it as UTF-8" : "";
    return fail("invalid_utf8", `invalid UTF-8: byte 0x${bad.byte}${utf16}`, bad.line, bad.col);
  }
  const control = NOT_YAML_PRINTABLE.exec(text);
  if (control !== null) {
    const { line, col } = positionInText(text, control.index);
    return fail(
      "control_character",
      `control character ${quote(control[0])} is not allowed in YAML`,
      line,
      col,
    );
  }
  return { text };
}

/** Where the first invalid UTF-8 sequence is. The lenient decoder turns each one into U+FFFD, so the
 * first U+FFFD whose bytes are not a literal EF BF BD marks it, and the text before it is valid. */
function findInvalidUtf8(bytes: Uint8Array): { line: number; col: number; byte: string } {
  const text = new TextDecoder("utf-8").decode(bytes);
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let byteOffset = hasBom ? 3 : 0;
  let previous = 0;
  for (let index = text.indexOf("\ufffd"); index !== -1; index = text.indexOf("\ufffd", index + 1)) {
    byteOffset += Buffer.byteLength(text.slice(previous, index));
    previous = index;
    if (!(bytes[byteOffset] === 0xef && bytes[byteOffset + 1] === 0xbf && bytes[byteOffset + 2] === 0xbd)) {
      const byte = (bytes[byteOffset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
      return { ...positionInText(text, index), byte };
    }
  }
  return { line: 1, col: 1, byte: "??" };
}
