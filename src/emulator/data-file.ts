// The emulator's "cloud" on disk: a JSON document loaded at start and replaced atomically (temporary
// file, then rename) after every change, so separate runs share one set of endpoints and model
// switches. Writes that pile up while one is in flight are coalesced into a single next write.
import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { ArkSyncError } from "../core/errors.js";
import type { EndpointRecord } from "./endpoint-store.js";
import { isJsonObject } from "./request-params.js";
import type { RollingRecord } from "./rolling-store.js";

const format = "ark-sync-emulator";
const version = 1;

/** What the file keeps. Files written before model switches existed have no `rollings`. */
export interface EmulatorData {
  endpoints: EndpointRecord[];
  rollings: RollingRecord[];
}

interface DataDocument extends EmulatorData {
  format: typeof format;
  version: typeof version;
}

/** The records saved in `path`, or none when the file does not exist yet. */
export async function loadDataFile(path: string): Promise<EmulatorData> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { endpoints: [], rollings: [] };
    throw new ArkSyncError(
      "input",
      "emulator_data_unreadable",
      `Cannot read the emulator data file ${path}.`,
      {
        cause: error,
      },
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalidDataFile(path, "it is not valid JSON", error);
  }
  if (!isJsonObject(document) || document.format !== format || document.version !== version) {
    throw invalidDataFile(path, `it is not an ${format} version ${version} document`);
  }
  const endpoints = document.endpoints;
  if (!Array.isArray(endpoints) || !endpoints.every(isRecord)) {
    throw invalidDataFile(path, "its endpoints are malformed");
  }
  const rollings = document.rollings ?? [];
  if (!Array.isArray(rollings) || !rollings.every(isRollingRecord)) {
    throw invalidDataFile(path, "its rollings are malformed");
  }
  return { endpoints, rollings };
}

function isRecord(value: unknown): value is EndpointRecord {
  return (
    isJsonObject(value) &&
    isJsonObject(value.endpoint) &&
    typeof value.endpoint.Id === "string" &&
    (value.readyAt === null || typeof value.readyAt === "number") &&
    (value.failureReason === null || typeof value.failureReason === "string") &&
    (value.failureStatus === undefined ||
      value.failureStatus === "Abnormal" ||
      value.failureStatus === "Failed")
  );
}

function isRollingRecord(value: unknown): value is RollingRecord {
  return (
    isJsonObject(value) &&
    isJsonObject(value.info) &&
    typeof value.info.Id === "string" &&
    typeof value.info.RollingGray === "number" &&
    isJsonObject(value.target) &&
    isJsonObject(value.pace) &&
    typeof value.pace.stepPercent === "number" &&
    typeof value.pace.stepMs === "number" &&
    typeof value.since === "number" &&
    typeof value.sinceGray === "number" &&
    (value.failure === null || isJsonObject(value.failure)) &&
    (value.hold === undefined || value.hold === null || typeof value.hold === "number")
  );
}

function invalidDataFile(path: string, reason: string, cause?: unknown): ArkSyncError {
  return new ArkSyncError(
    "input",
    "emulator_data_invalid",
    `The emulator data file ${path} is unusable: ${reason}.`,
    {
      hint: "Point --data at another file, or delete this one to start with no endpoints.",
      cause,
    },
  );
}

export interface DataFileWriter {
  /** Resolves once a write that includes every change made before this call is on disk. */
  save(): Promise<void>;
  /** Resolves when no write is pending. */
  idle(): Promise<void>;
}

export function createDataFileWriter(path: string, snapshot: () => EmulatorData): DataFileWriter {
  let current: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  const writeNow = (): Promise<void> => {
    const write = writeAtomically(path, { format, version, ...snapshot() }).finally(() => {
      if (current === write) current = null;
    });
    current = write;
    return write;
  };

  return {
    save() {
      if (next) return next;
      if (!current) return writeNow();
      const queued = current
        .catch(() => undefined)
        .then(() => {
          next = null;
          return writeNow();
        });
      next = queued;
      return queued;
    },
    async idle() {
      while (current || next) await (next ?? current)?.catch(() => undefined);
    },
  };
}

async function writeAtomically(path: string, document: DataDocument): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, "utf8");
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new ArkSyncError(
      "external",
      "emulator_data_write_failed",
      `Cannot write the emulator data file ${path}.`,
      {
        cause: error,
      },
    );
  }
}
