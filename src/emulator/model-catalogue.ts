// The foundation models (name → versions) the emulator serves. CreateEndpoint and CreateEndpointRolling
// refuse any other with InvalidParameter.ModelReference, an assumed code (docs/ark-api.md, Emulator
// choices). Custom models are not checked; seeded endpoints may name anything.
import { ApiError } from "./api-error.js";

export const foundationModelCatalogue: Readonly<Record<string, readonly string[]>> = {
  "deepseek-r1": ["250120", "250528"],
  "deepseek-v3": ["241226", "250324"],
  "doubao-1-5-lite-32k": ["250115"],
  "doubao-1-5-pro-256k": ["250115"],
  "doubao-1-5-pro-32k": ["250115", "250328", "250415"],
  "doubao-1-5-thinking-pro": ["250415", "250428"],
  "doubao-embedding": ["240715"],
  "doubao-seed-1-6": ["250615"],
};

export function requireKnownModel(model: { Name: string; ModelVersion: string }): void {
  const versions = Object.hasOwn(foundationModelCatalogue, model.Name)
    ? foundationModelCatalogue[model.Name]
    : undefined;
  if (versions?.includes(model.ModelVersion)) return;
  throw new ApiError(
    "InvalidParameter.ModelReference",
    versions
      ? `The foundation model ${model.Name} has no version ${model.ModelVersion}; it has ${versions.join(", ")}.`
      : `The foundation model ${model.Name} does not exist.`,
  );
}
