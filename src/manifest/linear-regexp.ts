// The regular-expression engine policies are compiled with (ajv's `code.regExp` option): RE2's, through
// re2js, a pure-JavaScript port of RE2, so matching runs in time linear in the input and no pattern in a
// policy can hang a plan (docs/manifests.md#policies-and-max_destroy). JavaScript's own engine backtracks:
// `^(a+)+$` on 30 characters takes it minutes. RE2 has no lookaround and no backreferences; a pattern
// that needs them is refused when the policy is compiled.
import type { CodeOptions } from "ajv";
import { RE2JS } from "re2js";

/** A pattern RE2 cannot compile; carries the pattern so the policy can be reported where it is written. */
export class UnsupportedPattern extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`pattern ${pattern} cannot be used: ${reason}`);
    this.name = "UnsupportedPattern";
  }
}

type RegExpEngine = NonNullable<CodeOptions["regExp"]>;

/** ajv's RegExpEngine: JSON Schema patterns (ECMA-262 syntax, `\uXXXX` escapes) compiled by RE2. */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, _unicode: string) => {
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
    } catch (error) {
      const reason = (error as Error).message.replace(/^error parsing regexp: /, "");
      throw new UnsupportedPattern(pattern, reason);
    }
    // ajv keys its compiled patterns by toString(), so two patterns must never share one.
    return { test: (text: string) => compiled.test(text), toString: () => `/${pattern}/` };
  },
  // What ajv's standalone code generation would call; ark-sync compiles policies at run time only.
  { code: 'require("re2js").RE2JS' },
);
