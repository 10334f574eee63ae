// Volcengine IAM policy documents (docs/credentials.md, The policy grammar): a `Statement` list whose
// entries allow or deny actions named `service:Action`, with `*` and `?` wildcards. ark-sync reads
// them twice: to check an inline session policy (VOLC_ROLE_POLICY) before sending it to STS, and in the
// emulator, to decide what an identity may call. Resources and conditions are read but not evaluated.

export type PolicyEffect = "Allow" | "Deny";

export interface PolicyStatement {
  effect: PolicyEffect;
  /** The statement applies to actions matching one of these… */
  actions?: string[];
  /** …or, instead, to every action matching none of these. */
  notActions?: string[];
}

export interface IamPolicy {
  statements: PolicyStatement[];
}

export type ParsedPolicy = { ok: true; policy: IamPolicy } | { ok: false; problems: string[] };

/** Parses policy JSON text. Problems name the element, e.g. `Statement[1].Effect`; never the text. */
export function parseIamPolicyText(text: string): ParsedPolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problems: ["it is not valid JSON"] };
  }
  return parseIamPolicy(value);
}

export function parseIamPolicy(value: unknown): ParsedPolicy {
  if (!isObject(value)) return { ok: false, problems: ["it is not a JSON object"] };
  const statements = value.Statement;
  if (!Array.isArray(statements) || statements.length === 0) {
    return { ok: false, problems: ["Statement must be a non-empty array"] };
  }
  const problems: string[] = [];
  const parsed = statements.map((statement, index) =>
    readStatement(statement, `Statement[${index}]`, problems),
  );
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, policy: { statements: parsed as PolicyStatement[] } };
}

function readStatement(value: unknown, at: string, problems: string[]): PolicyStatement | undefined {
  if (!isObject(value)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const effect = value.Effect;
  if (effect !== "Allow" && effect !== "Deny") problems.push(`${at}.Effect must be "Allow" or "Deny"`);
  const actions = readActionList(value.Action, `${at}.Action`, problems);
  const notActions = readActionList(value.NotAction, `${at}.NotAction`, problems);
  if (value.Action === undefined && value.NotAction === undefined) problems.push(`${at} needs an Action`);
  return {
    effect: effect as PolicyEffect,
    ...(actions === undefined ? {} : { actions }),
    ...(notActions === undefined ? {} : { notActions }),
  };
}

function readActionList(value: unknown, at: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every(isActionPattern)) {
    problems.push(`${at} must be "*", or one or more "service:Action" names (wildcards * and ?)`);
    return undefined;
  }
  return list;
}

function isActionPattern(value: unknown): value is string {
  return typeof value === "string" && (value === "*" || /^[A-Za-z0-9_*?-]+:[A-Za-z0-9_*?]+$/.test(value));
}

/**
 * Whether the policy allows `action` (`service:Action`): some Allow statement covers it and no Deny
 * statement does. Names are compared ignoring case.
 */
export function policyAllows(policy: IamPolicy, action: string): boolean {
  const covering = policy.statements.filter((statement) => covers(statement, action));
  return covering.some((s) => s.effect === "Allow") && !covering.some((s) => s.effect === "Deny");
}

function covers(statement: PolicyStatement, action: string): boolean {
  if (statement.actions) return statement.actions.some((pattern) => actionMatches(pattern, action));
  return !(statement.notActions ?? []).some((pattern) => actionMatches(pattern, action));
}

/** `*` matches any run of characters (none included), `?` exactly one. */
export function actionMatches(pattern: string, action: string): boolean {
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i").test(action);
}

/** A policy allowing exactly these actions (patterns), for configuration written as a list. */
export function allowOnly(actions: readonly string[]): IamPolicy {
  return { statements: actions.length === 0 ? [] : [{ effect: "Allow", actions: [...actions] }] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
