// The real Ark client over loopback against the real emulator, with instant backoff sleeps (the
// delays are recorded instead) and a debug log to check for credentials.
import { type ArkClient, type ArkClientConfig, createArkClient } from "../../src/ark/client.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/start-emulator.js";

export const accessKey = "AKLTintegrationAccessKey0001";
export const secretKey = "integration/Secret+Key==0001";

export interface Harness {
  emulator: Emulator;
  client: ArkClient;
  delays: number[];
  debugLines: string[];
}

export async function startHarness(
  emulatorOptions: Partial<EmulatorOptions> = {},
  clientConfig: Partial<ArkClientConfig> = {},
): Promise<Harness> {
  const emulator = await startEmulator({ accessKey, secretKey, provisioningDelayMs: 0, ...emulatorOptions });
  const delays: number[] = [];
  const debugLines: string[] = [];
  const client = createArkClient({
    apiUrl: emulator.url,
    credentials: { accessKeyId: accessKey, secretKey },
    debug: (line) => debugLines.push(line),
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...clientConfig,
  });
  return { emulator, client, delays, debugLines };
}

/** Seeds `count` endpoints named bench-00000… in the project, owned by ark-sync, one in ten with
 * moderation Basic. */
export async function seedEndpoints(emulator: Emulator, count: number, project = "default"): Promise<void> {
  for (let i = 0; i < count; i++) {
    const name = `bench-${String(i).padStart(5, "0")}`;
    await emulator.seedEndpoint({
      Name: name,
      ProjectName: project,
      ModelReference: { FoundationModel: { Name: "doubao-1-5-pro-32k", ModelVersion: "250115" } },
      RateLimit: { Rpm: 100, Tpm: 10_000 },
      Moderation: { Strategy: i % 10 === 0 ? "Basic" : "Default" },
      Tags: [
        { Key: "env", Value: "prod" },
        { Key: "ark-sync:address", Value: `${project}/${name}` },
        { Key: "sys:created-by", Value: "ark-emulator" },
      ],
    });
  }
}
