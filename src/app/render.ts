// `ark-sync render [DIR]`: the endpoints the directory resolves to (its bases and overlay applied,
// docs/manifests.md#overlays-ark-syncyaml) as YAML documents in address order, what plan would plan;
// what `kustomize build` is to Kustomize. Problems go to stderr and exit 1, as for plan.
import { manifestYaml } from "../manifest/generate-manifest.js";
import type { AppContext, ExitCode } from "./context.js";
import { loadValidManifests } from "./read-and-plan.js";

export interface RenderOptions {
  dir: string;
}

export async function run(options: RenderOptions, ctx: AppContext): Promise<ExitCode> {
  const { endpoints } = await loadValidManifests(options.dir, ctx);
  ctx.io.out(endpoints.map((endpoint) => manifestYaml(endpoint.attributes, endpoint)).join("---\n"));
  if (endpoints.length === 0) ctx.io.err(`warning: ${options.dir} declares no endpoint\n`);
  return 0;
}
