// `ark-sync status` output (docs/commands.md#status): a table for people, kubectl get style, with the
// commands that adopt unmanaged endpoints below it; or `{"endpoints": [...]}`. Every name, id and
// status comes from manifests or Ark and is escaped as plans escape them.
import type { StatusRow } from "../core/status-rows.js";
import { formatColumns } from "./columns.js";
import { sanitizeJson, sanitizeText } from "./format-value.js";

export function renderStatusJson(rows: readonly StatusRow[]): string {
  return `${sanitizeJson(JSON.stringify({ endpoints: rows }, null, 2))}\n`;
}

export function renderStatusTable(rows: readonly StatusRow[]): string {
  if (rows.length === 0)
    return "No endpoints: no manifest, no state record and nothing live in these projects.\n";
  const table = [
    ["ADDRESS", "NAME", "ENDPOINT ID", "SYNC", "HEALTH", "MODEL"],
    ...rows.map((row) =>
      [
        row.address ?? "-",
        row.name,
        row.endpoint_id ?? "-",
        row.sync,
        row.health ?? "-",
        row.model ?? "-",
      ].map(sanitizeText),
    ),
  ];
  const lines = formatColumns(table);
  const imports = rows.flatMap((row) => (row.import_command ? [sanitizeText(row.import_command)] : []));
  if (imports.length > 0) {
    lines.push("", "To adopt an unmanaged endpoint, declare its address in a manifest, then run:");
    lines.push(...imports.map((command) => `  ${command}`));
  }
  return lines.map((line) => `${line}\n`).join("");
}
