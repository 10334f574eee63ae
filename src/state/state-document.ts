// The state document (docs/design.md §7): parse and check what a backend read, make a new one, and write one
// out. Parsing trusts nothing: every problem is named with the file and the field, and keys such as
// `__proto__` are refused before anything is copied.
import { randomUUID } from "node:crypto";
import { ArkSyncError } from "../core/errors.js";
import type { Address, StateDocument, StateResource, SyncRecord } from "../core/types.js";
import { checkLastApplied, describeValue, isRecord } from "./last-applied-shape.js";

export const stateFormatVersion = 1;

const documentKeys = new Set(["version", "lineage", "serial", "resources", "sync"]);
const syncKeys = new Set(["notified", "history"]);
const historyKeys = new Set(["at", "line", "commit"]);
const resourceKeys = new Set(["endpoint_id", "last_applied", "applied_at", "commit", "ignored_writes"]);
const ignoredWriteKeys = new Set(["path", "action", "sent", "held", "at"]);
const writeActions = new Set(["CreateEndpoint", "UpdateEndpoint"]);
const maxProblemsShown = 20;

/** An empty document with a fresh lineage; serial 0 means "never written". */
export function newStateDocument(): StateDocument {
  return { version: stateFormatVersion, lineage: randomUUID(), serial: 0, resources: {} };
}

/** The document that follows `base` when `resources` are written: same lineage, serial + 1, and
 * `base`'s sync record unless another is given. */
export function nextStateDocument(
  base: StateDocument,
  resources: Record<Address, StateResource>,
  sync: SyncRecord | undefined = base.sync,
): StateDocument {
  const next: StateDocument = {
    version: stateFormatVersion,
    lineage: base.lineage,
    serial: base.serial + 1,
    resources,
  };
  return sync === undefined ? next : { ...next, sync };
}

/** Stable text: resources sorted by address, so successive versions diff cleanly. */
export function serializeStateDocument(document: StateDocument): string {
  // fromEntries defines own properties: an address is data, never a prototype setter.
  const resources = Object.fromEntries(
    Object.keys(document.resources)
      .sort()
      .map((address) => [address, orderResource(document.resources[address] as StateResource)]),
  );
  const ordered = {
    version: document.version,
    lineage: document.lineage,
    serial: document.serial,
    resources,
    ...(document.sync === undefined ? {} : { sync: orderSync(document.sync) }),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Reads back what is about to be written: a bug must never leave a state that cannot be read. */
export function checkBeforeWrite(text: string): void {
  try {
    parseStateDocument(text, "the state about to be written");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ArkSyncError("internal", "state_invalid_write", message, { cause: error });
  }
}

/**
 * Parses the text of a state document. `where` names its source in messages (a path, or
 * "state.json on branch ark-sync-state"). Throws ArkSyncError("input", "state_invalid") listing
 * every problem found.
 */
export function parseStateDocument(text: string, where: string): StateDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Never JSON.parse's message: it quotes the text, and a state path may name a file that is not ours
    // to show (`local:/proc/self/environ`), printed in the PR comment.
    throw invalid(where, [
      text.trim() === "" ? "not valid JSON (the file is empty)" : "not valid JSON, so not a state document",
    ]);
  }
  const problems: string[] = [];
  const document = checkDocument(value, problems);
  if (document === null || problems.length > 0) throw invalid(where, problems);
  return document;
}

function checkDocument(value: unknown, problems: string[]): StateDocument | null {
  if (!isRecord(value)) {
    problems.push(`the document must be a JSON object, got ${describeValue(value)}`);
    return null;
  }
  for (const key of Object.keys(value)) {
    if (!documentKeys.has(key)) problems.push(`unknown top-level field ${JSON.stringify(key)}`);
  }
  if (!Object.hasOwn(value, "version"))
    problems.push(`"version" is missing (expected ${stateFormatVersion})`);
  else if (value.version !== stateFormatVersion) {
    problems.push(
      `"version" is ${describeValue(value.version)}; this ark-sync reads state version ${stateFormatVersion} only`,
    );
  }
  if (!Object.hasOwn(value, "lineage")) problems.push(`"lineage" is missing`);
  else if (typeof value.lineage !== "string" || value.lineage.trim() === "") {
    problems.push(`"lineage" must be a non-empty string, got ${describeValue(value.lineage)}`);
  }
  if (!Object.hasOwn(value, "serial")) problems.push(`"serial" is missing`);
  else if (!Number.isSafeInteger(value.serial) || (value.serial as number) < 0) {
    problems.push(`"serial" must be a non-negative integer, got ${describeValue(value.serial)}`);
  }
  const resources: [Address, StateResource][] = [];
  if (!Object.hasOwn(value, "resources")) problems.push(`"resources" is missing`);
  else if (!isRecord(value.resources)) {
    problems.push(`"resources" must be an object keyed by address, got ${describeValue(value.resources)}`);
  } else {
    for (const [address, entry] of Object.entries(value.resources)) {
      const resource = checkResource(address, entry, problems);
      if (resource) resources.push([address, resource]);
    }
    problems.push(...sharedEndpoints(resources));
  }
  const sync = Object.hasOwn(value, "sync") ? checkSync(value.sync, problems) : undefined;
  if (problems.length > 0) return null;
  return {
    version: stateFormatVersion,
    lineage: value.lineage as string,
    serial: value.serial as number,
    resources: Object.fromEntries(resources),
    ...(sync === undefined ? {} : { sync }),
  };
}

/** `ark-sync sync`'s record (docs/state.md): `{notified: {key: fingerprint}, history: [{at, line, commit?}]}`. */
function checkSync(value: unknown, problems: string[]): SyncRecord | undefined {
  const before = problems.length;
  if (!isRecord(value)) {
    problems.push(`"sync" must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!syncKeys.has(key)) problems.push(`sync: unknown field ${JSON.stringify(key)}`);
  }
  const { notified, history } = value;
  if (!isRecord(notified) || !Object.values(notified).every((entry) => typeof entry === "string")) {
    problems.push(`sync.notified must be an object of strings, got ${describeValue(notified)}`);
  }
  if (!Array.isArray(history)) problems.push(`sync.history must be a list, got ${describeValue(history)}`);
  else {
    history.forEach((entry, index) => {
      const at = `sync.history[${index}]`;
      if (!isRecord(entry)) {
        problems.push(`${at} must be an object, got ${describeValue(entry)}`);
        return;
      }
      for (const key of Object.keys(entry)) {
        if (!historyKeys.has(key)) problems.push(`${at}: unknown field ${JSON.stringify(key)}`);
      }
      if (typeof entry.at !== "string" || Number.isNaN(Date.parse(entry.at))) {
        problems.push(`${at}.at must be an ISO 8601 time, got ${describeValue(entry.at)}`);
      }
      if (typeof entry.line !== "string")
        problems.push(`${at}.line must be a string, got ${describeValue(entry.line)}`);
      if (Object.hasOwn(entry, "commit") && typeof entry.commit !== "string") {
        problems.push(`${at}.commit must be a string when present, got ${describeValue(entry.commit)}`);
      }
    });
  }
  if (problems.length > before) return undefined;
  // orderSync copies with fromEntries, which defines own properties: a key is data, never a prototype setter.
  return orderSync(structuredClone(value) as unknown as SyncRecord);
}

function orderSync(sync: SyncRecord): SyncRecord {
  const notified = Object.fromEntries(
    Object.keys(sync.notified)
      .sort()
      .map((key) => [key, sync.notified[key] as string]),
  );
  return {
    notified,
    history: sync.history.map((entry) => ({
      at: entry.at,
      line: entry.line,
      ...(entry.commit === undefined ? {} : { commit: entry.commit }),
    })),
  };
}

/**
 * Addresses that record the same endpoint (a hand edit or a bad merge). Apply would rename that
 * endpoint back and forth on every run and orphan the other address's endpoint, so such a state is
 * refused until one of them is removed from the document by hand.
 */
function sharedEndpoints(resources: [Address, StateResource][]): string[] {
  const addressesById = new Map<string, Address[]>();
  for (const [address, { endpoint_id }] of resources) {
    const addresses = addressesById.get(endpoint_id);
    if (addresses === undefined) addressesById.set(endpoint_id, [address]);
    else addresses.push(address);
  }
  return [...addressesById]
    .filter(([, addresses]) => addresses.length > 1)
    .map(
      ([id, addresses]) =>
        `${addresses.map((address) => JSON.stringify(address)).join(" and ")} record the same endpoint ${id}; ` +
        "one endpoint has one address: keep the right one and delete the other from the document",
    );
}

function checkResource(address: string, entry: unknown, problems: string[]): StateResource | null {
  const at = `resources[${JSON.stringify(address)}]`;
  const before = problems.length;
  if (address === "__proto__" || address === "constructor" || address === "prototype") {
    problems.push(`${at}: ${JSON.stringify(address)} is not allowed as an address`);
    return null;
  }
  if (!/^[^/]+\/.+$/.test(address)) {
    problems.push(`${at}: the address must be <project_name>/<name>`);
  }
  if (!isRecord(entry)) {
    problems.push(`${at} must be an object, got ${describeValue(entry)}`);
    return null;
  }
  for (const key of Object.keys(entry)) {
    if (!resourceKeys.has(key)) problems.push(`${at}: unknown field ${JSON.stringify(key)}`);
  }
  if (typeof entry.endpoint_id !== "string" || entry.endpoint_id === "") {
    problems.push(`${at}.endpoint_id must be a non-empty string, got ${describeValue(entry.endpoint_id)}`);
  }
  if (!Object.hasOwn(entry, "last_applied"))
    problems.push(`${at}.last_applied is missing (null when unknown)`);
  else if (entry.last_applied !== null) checkLastApplied(entry.last_applied, `${at}.last_applied`, problems);
  if (!Object.hasOwn(entry, "applied_at")) problems.push(`${at}.applied_at is missing (null when unknown)`);
  else if (
    entry.applied_at !== null &&
    (typeof entry.applied_at !== "string" || Number.isNaN(Date.parse(entry.applied_at)))
  ) {
    problems.push(
      `${at}.applied_at must be an ISO 8601 time or null, got ${describeValue(entry.applied_at)}`,
    );
  }
  if (Object.hasOwn(entry, "commit") && (typeof entry.commit !== "string" || entry.commit === "")) {
    problems.push(`${at}.commit must be a non-empty string when present, got ${describeValue(entry.commit)}`);
  }
  if (Object.hasOwn(entry, "ignored_writes"))
    checkIgnoredWrites(entry.ignored_writes, `${at}.ignored_writes`, problems);
  if (problems.length > before) return null;
  // No copy: `entry` comes from this parse's own JSON.parse, which defines every key (`__proto__` too)
  // as an own property, and nothing else holds it.
  return orderResource(entry as unknown as StateResource);
}

/** Writes Ark ignored (docs/state.md): `{path, action, sent?, held?, at}` each. */
function checkIgnoredWrites(value: unknown, at: string, problems: string[]): void {
  if (!Array.isArray(value)) {
    problems.push(`${at} must be a list, got ${describeValue(value)}`);
    return;
  }
  for (const [index, record] of value.entries()) {
    const where = `${at}[${index}]`;
    if (!isRecord(record)) {
      problems.push(`${where} must be an object, got ${describeValue(record)}`);
      continue;
    }
    for (const key of Object.keys(record)) {
      if (!ignoredWriteKeys.has(key)) problems.push(`${where}: unknown field ${JSON.stringify(key)}`);
    }
    const path = record.path;
    if (!Array.isArray(path) || path.length === 0 || !path.every((step) => typeof step === "string")) {
      problems.push(`${where}.path must be a non-empty list of strings, got ${describeValue(path)}`);
    }
    if (typeof record.action !== "string" || !writeActions.has(record.action)) {
      problems.push(
        `${where}.action must be CreateEndpoint or UpdateEndpoint, got ${describeValue(record.action)}`,
      );
    }
    if (typeof record.at !== "string" || Number.isNaN(Date.parse(record.at))) {
      problems.push(`${where}.at must be an ISO 8601 time, got ${describeValue(record.at)}`);
    }
  }
}

function orderResource(resource: StateResource): StateResource {
  const ordered: StateResource = {
    endpoint_id: resource.endpoint_id,
    last_applied: resource.last_applied,
    applied_at: resource.applied_at,
  };
  if (resource.commit !== undefined) ordered.commit = resource.commit;
  if (resource.ignored_writes !== undefined && resource.ignored_writes.length > 0) {
    ordered.ignored_writes = resource.ignored_writes;
  }
  return ordered;
}

function invalid(where: string, problems: string[]): ArkSyncError {
  const shown = problems.slice(0, maxProblemsShown);
  const more = problems.length > shown.length ? [`... and ${problems.length - shown.length} more`] : [];
  const message =
    shown.length === 1
      ? `invalid state in ${where}: ${shown[0]}`
      : `invalid state in ${where}:\n${[...shown, ...more].map((problem) => `  - ${problem}`).join("\n")}`;
  return new ArkSyncError("input", "state_invalid", message);
}
