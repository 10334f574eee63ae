import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseAllDocuments } from "yaml";
import { plainValueOf } from "../../src/manifest/plain-value.js";

const test = suite("plain value");

const parse = (text: string) => {
  const [doc] = parseAllDocuments(text, { version: "1.2", schema: "core", stringKeys: false });
  if (doc === undefined || !("toJS" in doc)) throw new Error("no document");
  return doc;
};

test("a manifest's value is what yaml's toJS gives, key order included", () => {
  const doc = parse(`apiVersion: ark-sync/v1
kind: Endpoint
name: "chat-1"
description:
rate_limit: { tpm: 0x10, rpm: 1.5e3 }
lifecycle:
  prevent_destroy: true
  ignore_changes: [tags.team, 'tags["a b"]']
tags:
  - key: toString
    value: ~
  - { key: "2", value: "" }
`);
  const expected = doc.toJS({ maxAliasCount: 0 });
  const value = plainValueOf(doc);
  assert.equal(value, expected);
  assert.equal(JSON.stringify(value), JSON.stringify(expected));
  assert.is(Object.getPrototypeOf(value), Object.prototype);
});

test("anything else is left to yaml's toJS: a key that is not a string", () => {
  const doc = parse("1: one\n? [a]\n: b\n");
  assert.equal(plainValueOf(doc), doc.toJS({ maxAliasCount: 0 }));
});

test.run();
