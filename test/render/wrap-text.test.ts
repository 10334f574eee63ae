// Prose wrapping: no line is wider than the width, whatever the words.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wrapText } from "../../src/render/wrap-text.js";

const cases: { name: string; text: string; width: number; expect: string[] }[] = [
  { name: "words fill lines greedily", text: "aa bb cc dd", width: 5, expect: ["aa bb", "cc dd"] },
  { name: "spaces collapse", text: "  aa   bb  ", width: 10, expect: ["aa bb"] },
  {
    name: "a word longer than the width is cut into full lines",
    text: "see https://example.com/a/long/path now",
    width: 10,
    expect: ["see", "https://ex", "ample.com/", "a/long/pat", "h now"],
  },
  { name: "a long word alone", text: "abcdefghij", width: 4, expect: ["abcd", "efgh", "ij"] },
  {
    name: "the text's own line breaks are kept",
    text: "aa bb\n\ncc",
    width: 10,
    expect: ["aa bb", "", "cc"],
  },
  { name: "empty text is no line", text: "", width: 10, expect: [] },
];

for (const { name, text, width, expect } of cases) {
  test(name, () => {
    const lines = wrapText(text, width);
    assert.equal(lines, expect);
    for (const line of lines)
      assert.ok(line.length <= width, `${JSON.stringify(line)} is wider than ${width}`);
  });
}

test("no line is ever wider than the width", () => {
  const words = ["a", "bb", "ccccccc", "dddddddddddddddddddd", "e"];
  for (let width = 1; width <= 25; width++) {
    for (let n = 0; n < 50; n++) {
      const text = Array.from({ length: n % 9 }, (_, i) => words[(i * 7 + n) % words.length]).join(" ");
      const lines = wrapText(text, width);
      for (const line of lines) assert.ok(line.length <= width, `${line} at width ${width}`);
      assert.is(lines.join("").replace(/ /g, ""), text.replace(/ /g, ""), "nothing is lost");
    }
  }
});

test.run();
