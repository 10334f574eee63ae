// `ark-sync emulator models`: the foundation models and versions the bundled emulator serves (its
// catalogue); CreateEndpoint and a model switch refuse any other. Read from the catalogue itself, so
// no emulator needs to run.
import { foundationModelCatalogue } from "../emulator/model-catalogue.js";
import { renderModelsJson, renderModelsTable } from "../render/model-catalogue.js";
import type { AppContext, ExitCode } from "./context.js";

export interface EmulatorModelsOptions {
  json: boolean;
}

export async function run(options: EmulatorModelsOptions, ctx: AppContext): Promise<ExitCode> {
  const models = Object.entries(foundationModelCatalogue).map(([name, versions]) => ({ name, versions }));
  ctx.io.out(options.json ? renderModelsJson(models) : renderModelsTable(models));
  return 0;
}
