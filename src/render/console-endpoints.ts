// `ark-sync emulator endpoint list`: the endpoints on the emulator as the console shows them, with any
// model switch's progress and the ark-sync address an endpoint is tagged with; or `{"endpoints": [...]}`.
// Names, tags and ids come from the emulator and are escaped as plans escape them.
import { formatColumns } from "./columns.js";
import { sanitizeJson, sanitizeText } from "./format-value.js";

export interface ConsoleEndpointRow {
  endpoint_id: string;
  project: string;
  name: string;
  status: string;
  /** `name@version`, or the custom model id; null when none is known. */
  model: string | null;
  rate_limit: { rpm?: number; tpm?: number } | null;
  /** Every tag but Ark's own and ark-sync's. */
  tags: { key: string; value: string }[];
  /** The address in the endpoint's `ark-sync:address` tag: made by ark-sync; null when it has none. */
  owner_address: string | null;
  /** The model switch in progress, as GetEndpointRolling reports it; null when none. */
  switch: { id: string; status: string; percent: number; to: string | null } | null;
}

export function renderConsoleEndpointsJson(rows: readonly ConsoleEndpointRow[]): string {
  return `${sanitizeJson(JSON.stringify({ endpoints: rows }, null, 2))}\n`;
}

export function renderConsoleEndpointsTable(rows: readonly ConsoleEndpointRow[]): string {
  if (rows.length === 0) return "No endpoints in these projects.\n";
  const table = [
    ["ENDPOINT ID", "PROJECT", "NAME", "STATUS", "MODEL", "RATE LIMIT", "TAGS", "ARK-SYNC ADDRESS"],
    ...rows.map((row) =>
      [
        row.endpoint_id,
        row.project,
        row.name,
        statusOf(row),
        row.model ?? "-",
        rateLimitOf(row.rate_limit),
        row.tags.map((tag) => `${tag.key}=${tag.value}`).join(",") || "-",
        row.owner_address ?? "-",
      ].map(sanitizeText),
    ),
  ];
  return formatColumns(table)
    .map((line) => `${line}\n`)
    .join("");
}

function statusOf(row: ConsoleEndpointRow): string {
  if (row.switch === null) return row.status;
  const target = row.switch.to === null ? "" : ` to ${row.switch.to}`;
  return `${row.status}, switch${target} ${row.switch.status} ${row.switch.percent}%`;
}

function rateLimitOf(limit: ConsoleEndpointRow["rate_limit"]): string {
  const parts = [
    ...(limit?.rpm === undefined ? [] : [`rpm=${limit.rpm}`]),
    ...(limit?.tpm === undefined ? [] : [`tpm=${limit.tpm}`]),
  ];
  return parts.join(",") || "-";
}
