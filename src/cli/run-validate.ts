import type { GlobalOptions } from "./global-options.js";

export async function runValidate(_dir: string, _options: GlobalOptions): Promise<number> {
  throw new Error("not yet");
}
