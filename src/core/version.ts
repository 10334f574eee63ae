// ark-sync's own version, from package.json (inlined by bundlers, so it holds in the Action too).
import packageJson from "../../package.json" with { type: "json" };

export const arkSyncVersion: string = packageJson.version;
