// `ark-sync emulator models`: the foundation models the emulator serves, a table for people or
// `{"models": [{"name", "versions"}]}`.
import { formatColumns } from "./columns.js";

export interface CatalogueModel {
  name: string;
  versions: readonly string[];
}

export function renderModelsJson(models: readonly CatalogueModel[]): string {
  return `${JSON.stringify({ models }, null, 2)}\n`;
}

export function renderModelsTable(models: readonly CatalogueModel[]): string {
  const table = [["MODEL", "VERSIONS"], ...models.map((model) => [model.name, model.versions.join(", ")])];
  return formatColumns(table)
    .map((line) => `${line}\n`)
    .join("");
}
