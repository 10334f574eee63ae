// The small parts of the comment: the marker, escaping helpers and the rate-limit policy.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { commentMarker, startsWithMarker } from "../../src/github/comment-marker.js";
import { decideRetry } from "../../src/github/rate-limit.js";
import { codeSpan, escapeMarkdownText, fencedBlock } from "../../src/render/markdown-escape.js";

test("the marker is one per normalised directory and cannot end the HTML comment early", () => {
  assert.is(commentMarker("manifests"), "<!-- ark-sync:comment dir=manifests -->");
  assert.is(commentMarker("./manifests/"), commentMarker("manifests"));
  assert.is(commentMarker("teams\\search"), "<!-- ark-sync:comment dir=teams/search -->");
  assert.is(commentMarker("a -->b"), "<!-- ark-sync:comment dir=a%20--%3Eb -->");
  const marker = commentMarker("manifests");
  assert.ok(startsWithMarker(`${marker}\r\nbody`, marker));
  assert.not.ok(startsWithMarker(`quoted ${marker}`, marker));
  assert.not.ok(startsWithMarker(`${marker} extra\nbody`, marker));
});

test("code spans and fences are longer than any backtick run inside", () => {
  assert.is(codeSpan("plain"), "`plain`");
  assert.is(codeSpan("a`b"), "``a`b``");
  assert.is(codeSpan("`edge`"), "`` `edge` ``");
  assert.is(codeSpan("two\nlines"), "`two\\u000alines`");
  assert.is(fencedBlock("diff", ["+ ```` x"]), "`````diff\n+ ```` x\n`````");
});

test("prose escaping breaks mentions, references and links, and neutralises every punctuation mark", () => {
  assert.is(escapeMarkdownText("@octocat"), "\\@\u200doctocat");
  assert.is(escapeMarkdownText("fixes #12 and GH-3"), "fixes \\#\u200d12 and GH\\-\u200d3");
  assert.is(escapeMarkdownText("http://x.test"), "http\\:\u200d\\/\\/x\\.test");
  assert.is(escapeMarkdownText("<b>&amp;"), "\\<b\\>\\&amp\\;");
  assert.is(escapeMarkdownText("mail@example.com"), "mail\\@\u200dexample\\.com");
});

test("rate-limit answers: retry-after, reset, secondary limits; others are final", () => {
  const now = 1_000_000_000_000;
  const answer = (status: number, headers: Record<string, string> = {}, bodyText = "") => ({
    status,
    headers: new Headers(headers),
    bodyText,
  });
  assert.equal(decideRetry(answer(429, { "retry-after": "5" }), 0, false, now), {
    delayMs: 5000,
    reason: "rate limit",
  });
  assert.equal(
    decideRetry(
      answer(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 10) }),
      0,
      false,
      now,
    ),
    { delayMs: 11_000, reason: "rate limit" },
  );
  assert.equal(
    decideRetry(answer(403, {}, '{"message":"You have exceeded a secondary rate limit"}'), 1, false, now),
    {
      delayMs: 120_000,
      reason: "secondary rate limit",
    },
  );
  assert.is(
    decideRetry(answer(403, {}, '{"message":"Resource not accessible by integration"}'), 0, true, now),
    null,
  );
  assert.is(decideRetry(answer(502), 0, false, now), null, "a POST is not repeated after a server error");
  assert.equal(decideRetry(answer(502), 2, true, now), { delayMs: 4000, reason: "server error" });
  assert.is(decideRetry(answer(422), 0, true, now), null);
});

test.run();
