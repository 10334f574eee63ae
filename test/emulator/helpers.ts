// Shared by the emulator tests: start an emulator, call it through the real @volcengine/openapi
// client, or send a request signed by the SDK's own Signer and read the raw HTTP status.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Service, Signer } from "@volcengine/openapi";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/start-emulator.js";

export const testCredentials = { accessKey: "AKLTtest-emulator", secretKey: "c2VjcmV0LWtleS1mb3ItdGVzdHM=" };

export function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ ...testCredentials, provisioningDelayMs: 0, ...options });
}

export interface ClientOverrides {
  accessKeyId?: string;
  secretKey?: string;
  sessionToken?: string;
  region?: string;
}

/** Ark's answer as the SDK returns it (it never throws on an HTTP status). */
export interface ArkAnswer {
  ResponseMetadata: {
    RequestId: string;
    Action: string;
    Version: string;
    Service: string;
    Region: string;
    Error?: { Code: string; CodeN?: number; Message: string };
  };
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary Result fields
  Result?: any;
}

/** The real client, pointed at the emulator the way ark-sync points it (ark-api.md §6). */
export function arkClient(emulator: Pick<Emulator, "port" | "region">, overrides: ClientOverrides = {}) {
  const service = new Service({
    serviceName: "ark",
    region: overrides.region ?? emulator.region,
    host: `127.0.0.1:${emulator.port}`,
    protocol: "http:",
    defaultVersion: "2024-01-01",
    accessKeyId: overrides.accessKeyId ?? testCredentials.accessKey,
    secretKey: overrides.secretKey ?? testCredentials.secretKey,
    ...(overrides.sessionToken === undefined ? {} : { sessionToken: overrides.sessionToken }),
  });
  return {
    call: async (action: string, body: object = {}, version?: string): Promise<ArkAnswer> =>
      (await service.createJSONAPI(action, version ? { Version: version } : {})(body)) as ArkAnswer,
  };
}

/** Calls and fails the test unless the answer is a success; returns Result. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary Result fields
export async function ok(answer: Promise<ArkAnswer>): Promise<any> {
  const body = await answer;
  if (body.ResponseMetadata.Error) {
    throw new Error(`expected success, got ${JSON.stringify(body.ResponseMetadata.Error)}`);
  }
  return body.Result;
}

export interface RawOptions extends ClientOverrides {
  version?: string;
  date?: Date;
  /** Changes the request after it was signed. */
  tamper?: (request: { headers: Record<string, string>; body: string }) => void;
}

/** A request signed by the SDK's Signer exactly as Service.fetchOpenAPI signs it, sent with fetch. */
export async function sendSigned(
  emulator: Emulator,
  action: string,
  body: object,
  options: RawOptions = {},
): Promise<{ status: number; headers: Headers; body: ArkAnswer }> {
  const request = {
    region: options.region ?? emulator.region,
    method: "POST",
    pathname: "/",
    params: { Action: action, Version: options.version ?? "2024-01-01" },
    headers: { "content-type": "application/json; charset=utf-8" } as Record<string, string>,
    body,
  };
  const signer = new Signer(request, "ark");
  signer.addAuthorization(
    {
      accessKeyId: options.accessKeyId ?? testCredentials.accessKey,
      secretKey: options.secretKey ?? testCredentials.secretKey,
      ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
    },
    options.date,
  );
  const outgoing = { headers: { ...request.headers }, body: JSON.stringify(body) };
  options.tamper?.(outgoing);
  const query = new URLSearchParams(request.params).toString();
  const response = await fetch(`${emulator.url}/?${query}`, {
    method: "POST",
    headers: outgoing.headers,
    body: outgoing.body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as ArkAnswer };
}

export function errorCode(answer: ArkAnswer): string | undefined {
  return answer.ResponseMetadata.Error?.Code;
}

export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "ark-emulator-"));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const foundationModel = { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } };

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
