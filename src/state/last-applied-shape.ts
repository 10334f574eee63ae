// The shape of a recorded `last_applied` (EndpointAttributes). Presence is not enforced (refresh and
// import may record only some paths), but every field present must have the manifest's type, and
// unknown fields, `__proto__` included, are refused by name.

type Check = (value: unknown, at: string, problems: string[]) => void;

const attributeChecks: Readonly<Record<string, Check>> = {
  name: checkString,
  project_name: checkString,
  description: checkString,
  model_unit_id: checkString,
  model_reference: (value, at, problems) =>
    checkObject(value, at, problems, {
      foundation_model: (model, modelAt, modelProblems) =>
        checkObject(model, modelAt, modelProblems, { name: checkString, model_version: checkString }),
      custom_model_id: checkString,
    }),
  moderation: (value, at, problems) => checkObject(value, at, problems, { strategy: checkString }),
  rate_limit: (value, at, problems) =>
    checkObject(value, at, problems, { rpm: checkInteger, tpm: checkInteger }),
  tags: (value, at, problems) => {
    if (!Array.isArray(value)) {
      problems.push(`${at} must be a list of {key, value}, got ${describeValue(value)}`);
      return;
    }
    for (const [index, tag] of value.entries()) {
      checkObject(tag, `${at}[${index}]`, problems, { key: checkString, value: checkString });
    }
  },
};

export function checkLastApplied(value: unknown, at: string, problems: string[]): void {
  checkObject(value, at, problems, attributeChecks);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short description of a value for messages: its JSON, cut, or its type. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function checkObject(
  value: unknown,
  at: string,
  problems: string[],
  checks: Readonly<Record<string, Check>>,
): void {
  if (!isRecord(value)) {
    problems.push(`${at} must be an object, got ${describeValue(value)}`);
    return;
  }
  for (const key of Object.keys(value)) {
    const check = Object.hasOwn(checks, key) ? checks[key] : undefined;
    if (check) check(value[key], `${at}.${key}`, problems);
    else problems.push(`${at}: unknown field ${JSON.stringify(key)}`);
  }
}

function checkString(value: unknown, at: string, problems: string[]): void {
  if (typeof value !== "string") problems.push(`${at} must be a string, got ${describeValue(value)}`);
}

function checkInteger(value: unknown, at: string, problems: string[]): void {
  if (!Number.isSafeInteger(value)) problems.push(`${at} must be an integer, got ${describeValue(value)}`);
}
