// The emulator's "cloud" on disk: a JSON document loaded at start and replaced atomically (temporary
// file, then rename) after every change, so separate runs share one set of endpoints. Writes that
// pile up while one is in flight are coalesced into a single next write.
import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { ArkSyncError } from "../core/errors.js";
import type { EndpointRecord } from "./endpoint-store.js";
import { isJsonObject } from "./request-params.js";

const format = "ark-sync-emulator";
const version = 1;

interface DataDocument {
  format: typeof format;
  version: typeof version;
  endpoints: EndpointRecord[];
}

/** The records saved in `path`, or none when the file does not exist yet. */
export async function loadDataFile(path: string): Promise<EndpointRecord[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
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
  return endpoints;
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

export function createDataFileWriter(path: string, snapshot: () => EndpointRecord[]): DataFileWriter {
  let current: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  const writeNow = (): Promise<void> => {
    const write = writeAtomically(path, { format, version, endpoints: snapshot() }).finally(() => {
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
