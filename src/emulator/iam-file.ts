// `ark-sync emulator --iam FILE`: the IAM users, roles and OIDC providers the emulator accepts, as
// JSON in the library's shape (docs/emulator.md, Identities and permissions). Problems name the
// element (`users[1].actions`) and never quote a value, since the file holds secret keys.
import { readFile } from "node:fs/promises";
import { ArkSyncError } from "../core/errors.js";
import type { EmulatorIam, EmulatorOidcProvider, EmulatorRole, EmulatorUser } from "./identities.js";
import { isJsonObject, type JsonObject } from "./request-params.js";

export async function loadIamFile(path: string): Promise<EmulatorIam> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ArkSyncError("input", "emulator_iam_invalid", `Cannot read the emulator IAM file ${path}.`, {
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid(path, "it is not valid JSON");
  }
  if (!isJsonObject(document)) throw invalid(path, "it is not a JSON object");
  const read = <T>(key: string, item: (value: JsonObject, at: string) => T): T[] => {
    const list = document[key] ?? [];
    if (!Array.isArray(list)) throw invalid(path, `${key} must be a list`);
    return list.map((value, index) => {
      if (!isJsonObject(value)) throw invalid(path, `${key}[${index}] must be an object`);
      return item(value, `${key}[${index}]`);
    });
  };
  const field = (value: JsonObject, at: string) => ({
    string: (key: string): string => {
      const found = value[key];
      if (typeof found !== "string" || found === "")
        throw invalid(path, `${at}.${key} must be a non-empty string`);
      return found;
    },
    list: (key: string, required: boolean): string[] | undefined => {
      const found = value[key];
      if (found === undefined && !required) return undefined;
      if (!Array.isArray(found) || !found.every((entry) => typeof entry === "string")) {
        throw invalid(path, `${at}.${key} must be a list of strings`);
      }
      return found;
    },
  });
  const users = read("users", (value, at): EmulatorUser => {
    const f = field(value, at);
    return {
      name: f.string("name"),
      accessKey: f.string("accessKey"),
      secretKey: f.string("secretKey"),
      actions: f.list("actions", true) ?? [],
    };
  });
  const roles = read("roles", (value, at): EmulatorRole => {
    const f = field(value, at);
    const trustedUsers = f.list("trustedUsers", false);
    const trustedOidcProviders = f.list("trustedOidcProviders", false);
    return {
      trn: f.string("trn"),
      actions: f.list("actions", true) ?? [],
      ...(trustedUsers ? { trustedUsers } : {}),
      ...(trustedOidcProviders ? { trustedOidcProviders } : {}),
    };
  });
  const oidcProviders = read("oidcProviders", (value, at): EmulatorOidcProvider => {
    const f = field(value, at);
    return {
      name: f.string("name"),
      issuer: f.string("issuer"),
      audiences: f.list("audiences", true) ?? [],
      publicKey: f.string("publicKey"),
    };
  });
  return { users, roles, oidcProviders };
}

function invalid(path: string, reason: string): ArkSyncError {
  return new ArkSyncError(
    "input",
    "emulator_iam_invalid",
    `The emulator IAM file ${path} is unusable: ${reason}.`,
    {
      hint: 'Write {"users": [...], "roles": [...], "oidcProviders": [...]} as docs/emulator.md shows.',
    },
  );
}
