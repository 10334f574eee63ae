// Reads a directory's ark-sync.yaml, when it has one: one YAML document checked against
// schemas/config.schema.json, every problem a file:line:col diagnostic, and each value kept with the
// place it was written, for the diagnostics of the endpoints it changes (docs/manifests.md#overlays-ark-syncyaml).
import { lstat } from "node:fs/promises";
import path from "node:path";
import type { Operation } from "fast-json-patch";
import type { NotifyEvent, NotifyFormat, NotifyTarget } from "../core/notify-target.js";
import { reportOnly, type SyncPolicy } from "../core/sync-decision.js";
import type { SourceLocation } from "../core/types.js";
import { checkPatchPaths } from "./check-patch-paths.js";
import { checkConfigAgainstSchema } from "./config-schema.js";
import { describeSchemaError } from "./describe-schema-error.js";
import type { Diagnostic } from "./diagnostic.js";
import { locateNode } from "./locate-node.js";
import { parseYamlDocuments } from "./parse-yaml-documents.js";
import { quote } from "./quote.js";
import { readManifestText } from "./read-manifest-text.js";

/** The connection and state a directory's commands use when no flag or environment names them. */
/** The name of a directory's own configuration file (docs/manifests.md#overlays-ark-syncyaml). */
export const CONFIG_FILE = "ark-sync.yaml";

export interface DirectoryConnection {
  region?: string;
  apiUrl?: string;
  state?: string;
}

export interface Placed<T> {
  value: T;
  at: SourceLocation;
}

export interface OverlayConfig {
  /** Base directories, resolved against the configuration's directory, in the order listed. */
  bases: Array<Placed<string>>;
  namePrefix: string;
  nameSuffix: string;
  commonTags: Array<Placed<{ key: string; value: string }>>;
  /** Attribute name → its default value. */
  defaults: Array<Placed<[string, unknown]>>;
  patches: Array<{ target: Placed<string>; operations: Array<Placed<Operation>> }>;
  connection: DirectoryConnection;
  rules: DirectoryRules;
  /** The GitHub environment its apply runs in, when it names one (docs/github.md#credentials-and-environments). */
  environment?: string;
}

/** The directory's own rules, which its bases' rules do not add to (docs/manifests.md#policies-and-max_destroy). */
export interface DirectoryRules {
  /** JSON Schema files every resolved endpoint must satisfy, resolved against the directory. */
  policies: Array<Placed<string>>;
  /** The most endpoints one plan may destroy or replace; absent: no limit. */
  maxDestroy?: number;
  /** How `ark-sync sync` reconciles the directory (docs/sync.md); absent: report only. */
  sync?: SyncPolicy;
  /** The webhooks `ark-sync sync` notifies (docs/sync.md#notifications). */
  notify?: NotifyTarget[];
}

export interface LoadedConfig {
  /** Absent when the directory has no ark-sync.yaml, or when it has problems. */
  config?: OverlayConfig;
  diagnostics: Diagnostic[];
}

interface ConfigValue {
  bases?: string[];
  name_prefix?: string;
  name_suffix?: string;
  common_tags?: Array<{ key: string; value: string }>;
  defaults?: Record<string, unknown>;
  patches?: Array<{ target: string; patch: Operation[] }>;
  region?: string;
  api_url?: string;
  state?: string;
  policies?: string[];
  max_destroy?: number;
  sync?: { automated?: boolean; self_heal?: boolean; prune?: boolean; allow_replace?: boolean };
  notify?: Array<{ url?: string; url_env?: string; format: NotifyFormat; on: NotifyEvent[] }>;
  environment?: string;
}

/** The plan and drift jobs' environment, holding the plan identity: never a directory's apply environment. */
export const PLAN_ENVIRONMENT = "ark-sync-plan";

export async function loadConfig(dir: string): Promise<LoadedConfig> {
  const file = path.join(dir, CONFIG_FILE);
  if (!(await exists(file))) return { diagnostics: [] };
  const read = await readManifestText(file);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic] };
  const { documents, lineCounter, diagnostics } = parseYamlDocuments(file, read.text);
  const locate = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
  const error = (offset: number, code: string, message: string): Diagnostic => ({
    ...locate(offset),
    severity: "error",
    code,
    message,
  });
  const [first, second] = documents;
  if (second !== undefined) {
    diagnostics.push(error(second.offset, "config_documents", `${CONFIG_FILE} holds one YAML document`));
  }
  if (first === undefined || !first.sound || diagnostics.length > 0) return { diagnostics };
  const { doc } = first;
  const value: unknown = doc.toJS({ maxAliasCount: 0 });
  for (const schemaError of checkConfigAgainstSchema(value)) {
    const problem = describeSchemaError(schemaError, doc, read.text);
    diagnostics.push(error(problem.offset, problem.code, problem.message));
  }
  // The checks below rely on the shape the schema gives (`common_tags: [null]` has none).
  if (diagnostics.length > 0) return { diagnostics };
  const config = value as ConfigValue;
  const at = (...segments: Array<string | number>) =>
    locate(locateNode(doc, segments.map(String))?.range?.[0] ?? first.offset);
  const warnings: Diagnostic[] = [];
  const seenTags = new Set<string>();
  (config.common_tags ?? []).forEach(({ key }, index) => {
    if (typeof key !== "string") return;
    if (seenTags.has(key)) {
      const message = `duplicate tag key ${quote(key)} in common_tags`;
      diagnostics.push({
        ...at("common_tags", index, "key"),
        severity: "error",
        code: "duplicate_tag_key",
        message,
      });
    }
    seenTags.add(key);
  });
  (config.patches ?? []).forEach(({ patch }, index) => {
    patch.forEach((operation, op) => {
      const problem = checkPatchPaths(operation);
      if (problem === undefined) return;
      diagnostics.push({
        ...at("patches", index, "patch", op),
        severity: "error",
        code: "patch_prototype_key",
        message: problem,
      });
    });
  });
  (config.notify ?? []).forEach((entry, index) => {
    if ((entry.url === undefined) === (entry.url_env === undefined)) {
      diagnostics.push({
        ...at("notify", index),
        severity: "error",
        code: "notify_url",
        message: `notify[${index}] needs exactly one of url_env (recommended: the URL is a credential) and url`,
      });
    } else if (entry.url !== undefined) {
      // Allowed, but the file is read by everyone who reads the repository; the URL is never quoted.
      warnings.push({
        ...at("notify", index, "url"),
        severity: "warning",
        code: "notify_url_in_file",
        message: `notify[${index}].url writes the webhook URL, a credential, into the repository; prefer url_env and keep the URL in a secret`,
      });
    }
  });
  // GitHub compares environment names without case.
  if (config.environment?.toLowerCase() === PLAN_ENVIRONMENT) {
    diagnostics.push({
      ...at("environment"),
      severity: "error",
      code: "config_plan_environment",
      message: `environment ${quote(config.environment)} is the plan jobs' environment, which holds the read-only plan identity; name the environment whose reviewers approve this directory's applies`,
    });
  }
  if (diagnostics.length > 0) return { diagnostics: [...diagnostics, ...warnings] };
  diagnostics.push(...warnings);
  return {
    config: {
      bases: (config.bases ?? []).map((base, index) => ({
        value: within(dir, base),
        at: at("bases", index),
      })),
      namePrefix: config.name_prefix ?? "",
      nameSuffix: config.name_suffix ?? "",
      commonTags: (config.common_tags ?? []).map((tag, index) => ({
        value: tag,
        at: at("common_tags", index),
      })),
      defaults: Object.entries(config.defaults ?? {}).map((entry) => ({
        value: entry,
        at: at("defaults", entry[0]),
      })),
      patches: (config.patches ?? []).map(({ target, patch }, index) => ({
        target: { value: target, at: at("patches", index, "target") },
        operations: patch.map((operation, op) => ({
          value: operation,
          at: at("patches", index, "patch", op),
        })),
      })),
      connection: connectionOf(config, dir),
      rules: {
        policies: (config.policies ?? []).map((policy, index) => ({
          value: within(dir, policy),
          at: at("policies", index),
        })),
        ...(config.max_destroy === undefined ? {} : { maxDestroy: config.max_destroy }),
        ...(config.sync === undefined ? {} : { sync: syncPolicyOf(config.sync) }),
        ...(config.notify === undefined
          ? {}
          : {
              notify: config.notify.map(
                (entry, index): NotifyTarget => ({
                  url: entry.url_env === undefined ? { literal: entry.url ?? "" } : { env: entry.url_env },
                  format: entry.format,
                  on: entry.on,
                  at: at("notify", index),
                }),
              ),
            }),
      },
      ...(config.environment === undefined ? {} : { environment: config.environment }),
    },
    diagnostics,
  };
}

function syncPolicyOf(sync: NonNullable<ConfigValue["sync"]>): SyncPolicy {
  return {
    automated: sync.automated ?? reportOnly.automated,
    selfHeal: sync.self_heal ?? reportOnly.selfHeal,
    prune: sync.prune ?? reportOnly.prune,
    allowReplace: sync.allow_replace ?? reportOnly.allowReplace,
  };
}

function connectionOf(config: ConfigValue, dir: string): DirectoryConnection {
  const connection: DirectoryConnection = {};
  if (config.region !== undefined) connection.region = config.region;
  if (config.api_url !== undefined) connection.apiUrl = config.api_url;
  if (config.state !== undefined) {
    // A local state file is named relative to the directory, so CI may run from anywhere.
    const local = /^local:(.+)$/.exec(config.state)?.[1];
    connection.state = local === undefined ? config.state : `local:${within(dir, local)}`;
  }
  return connection;
}

/** `relative` named from `dir`, relative to where `dir` is (as every manifest path is). */
function within(dir: string, relative: string): string {
  return path.isAbsolute(relative) ? relative : path.join(dir, relative);
}

/** Whether anything is there; what is there is read as a regular file or refused as none. */
async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
