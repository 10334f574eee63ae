// Ids in the shape seen in public samples: `ep-YYYYMMDDHHMMSS-xxxxx` (UTC time of creation, then 5
// random lower-case letters and digits), e.g. `ep-20250205102543-lcndc`. Rolling ids are only known
// to start `eprol-`; the emulator gives them the same tail (docs/ark-api.md, Emulator choices).
import { randomInt } from "node:crypto";

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

export function createEndpointId(now: number, isTaken: (id: string) => boolean): string {
  return createId("ep", now, isTaken);
}

export function createRollingId(now: number, isTaken: (id: string) => boolean): string {
  return createId("eprol", now, isTaken);
}

function createId(prefix: string, now: number, isTaken: (id: string) => boolean): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  for (;;) {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += alphabet[randomInt(alphabet.length)];
    const id = `${prefix}-${stamp}-${suffix}`;
    if (!isTaken(id)) return id;
  }
}
