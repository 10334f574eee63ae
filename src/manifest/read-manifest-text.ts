// Reads one manifest file as text, refusing what is not a small, regular, UTF-8 text file.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { describeFsError } from "./describe-fs-error.js";
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
  let bytes: Uint8Array;
  try {
    // O_NONBLOCK: opening a FIFO that slipped past the directory scan must not wait for a writer.
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return fail("not_a_file", "not a regular file (a pipe, socket or device)");
      if (stats.size > MAX_FILE_BYTES) return fail("file_too_large", tooLarge(stats.size));
      // Sized from the stat, grown to the limit if the file grows while it is read; one byte more
      // than the limit tells "too large" from "exactly the limit".
      let buffer = new Uint8Array(stats.size + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > MAX_FILE_BYTES) return fail("file_too_large", tooLarge());
        if (length === buffer.length) {
          const grown = new Uint8Array(MAX_FILE_BYTES + 1);
          grown.set(buffer);
          buffer = grown;
        }
      }
      bytes = buffer.subarray(0, length);
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch (error) {
    return fail("unreadable_file", `cannot read file: ${describeFsError(error)}`);
  }
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

function tooLarge(size?: number): string {
  const actual = size === undefined ? "" : ` (${size} bytes)`;
  return `file is larger than the 1 MiB limit${actual}; split it into smaller manifests`;
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
