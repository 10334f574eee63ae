// Readers for request bodies: each checks one parameter's type and throws the MissingParameter or
// InvalidParameter answer that names it by its path (e.g. `Filter.Statuses`).
import { invalidParameter, missingParameter } from "./api-error.js";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

/** Rejects any key not in `allowed`: a typo in a client must not pass silently. */
export function rejectUnknownKeys(object: JsonObject, allowed: readonly string[], prefix = ""): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key))
      throw invalidParameter(join(prefix, key), "this parameter is not accepted here");
  }
}

export function readString(object: JsonObject, key: string, prefix = ""): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidParameter(join(prefix, key), "must be a string");
  return value;
}

/** A string that is present and not empty. */
export function requireString(object: JsonObject, key: string, prefix = ""): string {
  const value = readString(object, key, prefix);
  if (value === undefined || value === "") throw missingParameter(join(prefix, key));
  return value;
}

/** An optional string that, when present, is not empty. */
export function readNonEmptyString(object: JsonObject, key: string, prefix = ""): string | undefined {
  const value = readString(object, key, prefix);
  if (value === "") throw invalidParameter(join(prefix, key), "must not be empty");
  return value;
}

export function readBoolean(object: JsonObject, key: string, prefix = ""): boolean | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidParameter(join(prefix, key), "must be true or false");
  return value;
}

export function readInteger(
  object: JsonObject,
  key: string,
  range: { min: number; max?: number },
  prefix = "",
): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  const path = join(prefix, key);
  if (typeof value !== "number" || !Number.isInteger(value))
    throw invalidParameter(path, "must be an integer");
  if (value < range.min) throw invalidParameter(path, `must be at least ${range.min}`);
  if (range.max !== undefined && value > range.max)
    throw invalidParameter(path, `must be at most ${range.max}`);
  return value;
}

export function readObject(object: JsonObject, key: string, prefix = ""): JsonObject | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalidParameter(join(prefix, key), "must be an object");
  return value;
}

export function readArray(object: JsonObject, key: string, prefix = ""): unknown[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParameter(join(prefix, key), "must be an array");
  return value;
}

export function readStringArray(object: JsonObject, key: string, prefix = ""): string[] | undefined {
  const values = readArray(object, key, prefix);
  if (values === undefined) return undefined;
  return values.map((value, index) => {
    if (typeof value !== "string")
      throw invalidParameter(`${join(prefix, key)}[${index}]`, "must be a string");
    return value;
  });
}

/** A string that must be one of `allowed`. */
export function readEnum<T extends string>(
  object: JsonObject,
  key: string,
  allowed: readonly T[],
  prefix = "",
): T | undefined {
  const value = readString(object, key, prefix);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParameter(join(prefix, key), `must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

export function readEnumArray<T extends string>(
  object: JsonObject,
  key: string,
  allowed: readonly T[],
  prefix = "",
): T[] | undefined {
  const values = readStringArray(object, key, prefix);
  values?.forEach((value, index) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw invalidParameter(`${join(prefix, key)}[${index}]`, `must be one of ${allowed.join(", ")}`);
    }
  });
  return values as T[] | undefined;
}
