// The header on every answer of the emulator, which Ark's answers do not carry: how the console
// commands (`ark-sync emulator endpoint …`) make sure they act on the emulator, never on a real account.
export const emulatorMarkerHeader = "x-ark-sync-emulator";
