// What no output of ark-sync may print as it is: control characters other than the newline, bidi
// controls and invisible characters, which src/render/format-value.ts escapes.
export const unsafeCharacters =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;
