// The contract between docs/ark-api.md and the real client: every request field the client sends
// must be documented, and the doc's "ark-sync sends" column must say what the client really does.
//
// The real client (through the real SDK) is driven against the emulator through a recording
// pass-through proxy on loopback, so what is checked is exactly what arrives on the wire, unchanged
// (the proxy forwards the signed bytes as they are, and the client is not touched).
//
// The doc's format, which this test parses (keep the two in step):
// - Request fields: every Markdown table whose header row is exactly
//     | action | field | type | required | ark-sync sends | source | notes |
//   one row per field path. `field` is one path in backticks: `.` joins an object's members, `[]` marks
//   the elements of an array of objects (`Tags[].Key`); an array of scalars is one row
//   (`Filter.Ids`), and every object on the way has its own row (`ModelReference`,
//   `ModelReference.FoundationModel`, …). `ark-sync sends` is `always` (in every request of that
//   action), `when set` (in some) or `no` (in none).
// - Response fields: every table whose header row is exactly
//     | action | field | type | ark-sync reads | source | notes |
//   with paths under `Result`; ListEndpoints' `Items[].X` is documented by GetEndpoint's `X` row.
// Cells must not contain `|`. A table row is a line that starts and ends with `|`.
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { arkActions } from "../../src/ark/actions.js";
import { type ArkClient, createArkClient, type DryRunResult } from "../../src/ark/client.js";
import { toConsoleCreateRequest, toConsoleUpdateRequest } from "../../src/ark/console-requests.js";
import { checkAccount } from "../../src/ark/doctor/check-account.js";
import type { EndpointAttributes } from "../../src/core/types.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { accessKey, secretKey } from "./emulator-harness.js";

const docFile = fileURLToPath(new URL("../../../docs/ark-api.md", import.meta.url));
const requestHeader = ["action", "field", "type", "required", "ark-sync sends", "source", "notes"];
const responseHeader = ["action", "field", "type", "ark-sync reads", "source", "notes"];
const sendsValues = ["always", "when set", "no"] as const;
type Sends = (typeof sendsValues)[number];

interface RequestRow {
  action: string;
  field: string;
  sends: Sends;
}

interface ResponseRow {
  action: string;
  field: string;
}

/** One request the emulator received, and its answer (null when the connection was dropped). */
interface Exchange {
  action: string;
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number | null;
  reply: unknown;
}

// ---------------------------------------------------------------------------------------------
// Reading the doc

/** Every Markdown table whose header cells are exactly `header`: its rows' cells, header and rule dropped. */
function readTables(markdown: string, header: readonly string[]): string[][] {
  const rows: string[][] = [];
  let table: string[][] = [];
  const flush = () => {
    const [head] = table;
    if (head && head.map((cell) => cell.toLowerCase()).join("|") === header.join("|")) {
      rows.push(...table.slice(2));
    }
    table = [];
  };
  for (const line of markdown.split("\n")) {
    const text = line.trim();
    if (text.startsWith("|") && text.endsWith("|") && text.length > 1) {
      table.push(
        text
          .slice(1, -1)
          .split("|")
          .map((cell) => cell.trim()),
      );
    } else {
      flush();
    }
  }
  flush();
  return rows;
}

function parsePath(cell: string, where: string): string {
  const match = /^`([^`\s]+)`$/.exec(cell);
  if (!match?.[1]) throw new Error(`${where}: the field cell must be one path in backticks, got ${cell}`);
  return match[1];
}

function parseRequestRows(markdown: string): RequestRow[] {
  return readTables(markdown, requestHeader).map((cells, index) => {
    const where = `request-field row ${index + 1}`;
    const [action = "", field = "", , , sends = ""] = cells;
    if (cells.length !== requestHeader.length)
      throw new Error(`${where}: expected ${requestHeader.length} cells`);
    if (!(sendsValues as readonly string[]).includes(sends)) {
      throw new Error(`${where}: "ark-sync sends" must be one of ${sendsValues.join(", ")}, got "${sends}"`);
    }
    return { action, field: parsePath(field, where), sends: sends as Sends };
  });
}

function parseResponseRows(markdown: string): ResponseRow[] {
  return readTables(markdown, responseHeader).map((cells, index) => {
    const where = `response-field row ${index + 1}`;
    if (cells.length !== responseHeader.length)
      throw new Error(`${where}: expected ${responseHeader.length} cells`);
    return { action: cells[0] ?? "", field: parsePath(cells[1] ?? "", where) };
  });
}

// ---------------------------------------------------------------------------------------------
// Field paths of a JSON value, in the doc's notation

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `A`, `A.B`, `Tags`, `Tags[].Key`, …: every member of every object, at any depth. */
function fieldPaths(value: unknown, prefix = ""): Set<string> {
  const paths = new Set<string>();
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      for (const element of node) walk(element, `${at}[]`);
    } else if (isObject(node)) {
      for (const [key, member] of Object.entries(node)) {
        const path = at === "" ? key : `${at}.${key}`;
        paths.add(path);
        walk(member, path);
      }
    }
  };
  walk(value, prefix);
  return paths;
}

// ---------------------------------------------------------------------------------------------
// The checks, as functions of (doc rows, exchanges), so that they can be tested on made-up input

/** "<Action>: <field>" for every request field sent that the doc's table lacks for that action. */
function undocumentedRequestFields(rows: RequestRow[], exchanges: Exchange[]): string[] {
  const documented = new Set(rows.map((row) => `${row.action}: ${row.field}`));
  const missing = new Set<string>();
  for (const exchange of exchanges) {
    for (const path of fieldPaths(exchange.body)) {
      const key = `${exchange.action}: ${path}`;
      if (!documented.has(key)) missing.add(key);
    }
  }
  return [...missing].sort();
}

/** Rows whose "ark-sync sends" the captured requests contradict. */
function wrongSendsClaims(rows: RequestRow[], exchanges: Exchange[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    const requests = exchanges.filter((exchange) => exchange.action === row.action);
    const carrying = requests.filter((exchange) => fieldPaths(exchange.body).has(row.field)).length;
    const name = `${row.action}: ${row.field}`;
    if (row.sends === "no" && carrying > 0) {
      problems.push(`${name} is documented "no" but the client sent it in ${carrying} request(s)`);
    } else if (row.sends !== "no" && requests.length === 0) {
      problems.push(`${name} is documented "${row.sends}" but the client never called ${row.action}`);
    } else if (row.sends === "when set" && carrying === 0) {
      problems.push(`${name} is documented "when set" but none of ${requests.length} request(s) carried it`);
    } else if (row.sends === "always" && carrying < requests.length) {
      problems.push(`${name} is documented "always" but ${requests.length - carrying} request(s) lacked it`);
    }
  }
  return problems;
}

/** "<Action>: <field>" for every Result field the emulator answered that the doc's table lacks. */
function undocumentedResponseFields(rows: ResponseRow[], exchanges: Exchange[]): string[] {
  const documented = new Set(rows.map((row) => `${row.action}: ${row.field}`));
  const missing = new Set<string>();
  for (const exchange of exchanges) {
    if (exchange.status !== 200 || !isObject(exchange.reply)) continue;
    for (const path of fieldPaths(exchange.reply.Result)) {
      const item = exchange.action === "ListEndpoints" ? /^Items\[\]\.(.+)$/.exec(path) : null;
      const key = item ? `GetEndpoint: ${item[1]}` : `${exchange.action}: ${path}`;
      if (!documented.has(key)) missing.add(`${exchange.action}: ${path}`);
    }
  }
  return [...missing].sort();
}

// ---------------------------------------------------------------------------------------------
// A recording pass-through proxy in front of the emulator

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function parseJson(bytes: Buffer): unknown {
  try {
    return bytes.length === 0 ? undefined : JSON.parse(bytes.toString("utf8"));
  } catch {
    return bytes.toString("utf8");
  }
}

async function startRecorder(
  target: Emulator,
): Promise<{ url: string; exchanges: Exchange[]; close(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  const server = createServer((req, res) => {
    void readAll(req).then((body) => {
      const url = new URL(req.url ?? "/", "http://recorder.invalid");
      const exchange: Exchange = {
        action: url.searchParams.get("Action") ?? "",
        method: req.method ?? "",
        url,
        headers: req.headers,
        body: parseJson(body),
        status: null,
        reply: undefined,
      };
      exchanges.push(exchange);
      const upstream = request(
        { host: "127.0.0.1", port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          void readAll(answer).then((reply) => {
            exchange.status = answer.statusCode ?? null;
            exchange.reply = parseJson(reply);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(reply);
          });
        },
      );
      // The emulator dropped the connection (a lost reply): drop the client's too.
      upstream.on("error", () => req.socket.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Driving every client method, with every input it accepts

const full: EndpointAttributes = {
  name: "chat",
  project_name: "default",
  description: "prod chat",
  model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
  model_unit_id: "mu-0001",
  moderation: { strategy: "Basic" },
  rate_limit: { rpm: 10, tpm: 5000 },
  tags: [{ key: "env", value: "prod" }],
};
const custom: EndpointAttributes = {
  name: "custom",
  project_name: "team",
  model_reference: { custom_model_id: "cm-0001" },
};

/**
 * Calls every client method with every input it accepts. A failing call is recorded and the drive
 * goes on, so that a field the emulator refuses still reaches the doc checks, which name it.
 */
async function driveEveryMethod(client: ArkClient, emulator: Emulator): Promise<string[]> {
  const errors: string[] = [];
  const attempt = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      errors.push(String(error));
      return undefined;
    }
  };
  /** A DryRun's refusal is an answer, not a throw: record it like a failing call. */
  const passes = async (dryRun: () => Promise<DryRunResult>) => {
    const result = await attempt(dryRun);
    if (result?.ok === false) errors.push(`DryRun refused: ${result.error}`);
  };
  const unknown = "ep-20250101000000-nope0";
  const chat =
    (await attempt(() => client.createEndpoint(full, { address: "default/chat", state: "lineage-1" }))) ??
    unknown;
  const other =
    (await attempt(() => client.createEndpoint(custom, { address: "team/custom", state: "lineage-1" }))) ??
    unknown;
  // An unanswered create makes the client look for its ownership tag before trying again.
  emulator.injectFault({ action: "CreateEndpoint", kind: "lost-reply" });
  await attempt(() => client.createEndpoint(custom, { address: "team/custom-2", state: "lineage-1" }));

  await attempt(() => client.getEndpoint(chat));
  await attempt(() => client.getEndpoint(unknown));
  await attempt(() => client.listEndpoints({ projectName: "default" }));
  // Apply's look-up by the ownership tag before every create.
  await attempt(() =>
    client.findOwnedEndpoint({ address: "default/chat", state: "lineage-1" }, "default", []),
  );
  await attempt(() =>
    client.listEndpoints({
      projectName: "team",
      filter: { ids: [chat, other], name: "c", statuses: ["Running"] },
      tagFilters: [{ key: "ark-sync:address", values: ["team/custom"] }],
    }),
  );

  // A RateLimit member no manifest manages (ark-cli's Ipm) is sent back as read with the update.
  await attempt(() => emulator.changeEndpoint(chat, { RateLimit: { Rpm: 10, Tpm: 5000, Ipm: 50 } }));
  await attempt(() =>
    client.updateEndpoint(chat, {
      name: "chat-2",
      description: "renamed",
      rate_limit: { rpm: 20, tpm: 30 },
    }),
  );
  await attempt(() => client.updateEndpoint(chat, { description: null }));
  await attempt(() => client.updateEndpoint(chat, { moderation: { strategy: "Default" } }));
  // The emulator's console commands (`ark-sync emulator endpoint`): a create with no tags at all, as a
  // person may make one, and an update of the tags.
  await attempt(() =>
    client.writeAsConsole(
      "CreateEndpoint",
      toConsoleCreateRequest({
        name: "by-hand",
        project_name: "default",
        foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" },
        tags: [],
      }),
    ),
  );
  await attempt(() =>
    client.writeAsConsole(
      "UpdateEndpoint",
      toConsoleUpdateRequest(chat, { setTags: [{ key: "team", value: "a" }], removeTags: [] }, {}),
    ),
  );

  await passes(() =>
    client.dryRunCreateEndpoint(full, { address: "default/chat-3", state: "lineage-1" }, "run-1"),
  );
  const newer = { name: "doubao-1-5-pro-32k", model_version: "250415" };
  const startSwitch = async () => {
    const started = await attempt(() => client.startModelSwitch(chat, newer));
    return started?.kind === "started" ? started.rollingId : unknown;
  };
  const cancelled = await startSwitch();
  await attempt(() => client.getModelSwitch(cancelled));
  await attempt(() => client.cancelModelSwitch(cancelled));
  const rolledBack = await startSwitch();
  await attempt(() => client.rollbackModelSwitch(rolledBack));
  await attempt(() => client.getModelSwitch("eprol-20250101000000-nope0"));
  // ark-sync doctor's reads (readRaw) and DryRun, as it sends them; it answers with rows, never throws.
  await checkAccount(
    async () => client,
    { projects: ["default", "team"], recordedIds: new Set([chat]), create: undefined, lineage: "lineage-1" },
    { region: "cn-beijing", apiUrl: "http://127.0.0.1", chosen: true },
  );
  await attempt(() => client.stopEndpoint(chat));
  await attempt(() => client.startEndpoint(chat));
  // The emulator, like Ark, refuses to delete a Running endpoint.
  await attempt(() => client.stopEndpoint(chat));
  await attempt(() => client.deleteEndpoint(chat));
  await attempt(() => client.deleteEndpoint(chat));
  return errors;
}

// ---------------------------------------------------------------------------------------------

const test = suite("docs/ark-api.md against what the client sends");

let doc = "";
let exchanges: Exchange[] = [];
let driveErrors: string[] = [];

test.before(async () => {
  doc = readFileSync(docFile, "utf8");
  // Switches that stay at 0 % until cancelled or rolled back.
  const emulator = await startEmulator({
    accessKey,
    secretKey,
    provisioningDelayMs: 0,
    rollingStepMs: 60_000,
  });
  const recorder = await startRecorder(emulator);
  try {
    const client = createArkClient({
      apiUrl: recorder.url,
      credentials: { accessKeyId: accessKey, secretKey },
      sleep: async () => {},
    });
    driveErrors = await driveEveryMethod(client, emulator);
    exchanges = recorder.exchanges;
  } finally {
    await recorder.close();
    await emulator.close();
  }
});

test("the doc's tables parse", () => {
  const requestRows = parseRequestRows(doc);
  assert.ok(requestRows.length > 0, "no request-field table found in docs/ark-api.md");
  assert.ok(parseResponseRows(doc).length > 0, "no response-field table found in docs/ark-api.md");
  const keys = requestRows.map((row) => `${row.action}: ${row.field}`);
  assert.equal(
    keys.filter((key, i) => keys.indexOf(key) !== i),
    [],
    "a request field is documented twice",
  );
});

test("the drive ran without errors", () => {
  assert.equal(driveErrors, []);
});

test("the drive calls every action the client knows", () => {
  const called = new Set(exchanges.map((exchange) => exchange.action));
  assert.equal(
    arkActions.filter((action) => !called.has(action)),
    [],
    "extend driveEveryMethod to call these actions",
  );
});

test("every request field the client sends is documented for its action", () => {
  const missing = undocumentedRequestFields(parseRequestRows(doc), exchanges);
  assert.ok(
    missing.length === 0,
    `the client sends fields docs/ark-api.md's request-field table lacks:\n  ${missing.join("\n  ")}`,
  );
});

test('the doc\'s "ark-sync sends" column is what the client does', () => {
  const problems = wrongSendsClaims(parseRequestRows(doc), exchanges);
  assert.ok(problems.length === 0, `docs/ark-api.md is wrong:\n  ${problems.join("\n  ")}`);
});

test("every Result field the emulator answers is documented", () => {
  const missing = undocumentedResponseFields(parseResponseRows(doc), exchanges);
  assert.ok(
    missing.length === 0,
    `the emulator answers fields docs/ark-api.md's response-field table lacks:\n  ${missing.join("\n  ")}`,
  );
});

test("transport: POST / with Action and Version 2024-01-01, JSON, signed x-content-sha256;x-date", () => {
  for (const exchange of exchanges) {
    assert.is(exchange.method, "POST");
    assert.is(exchange.url.pathname, "/");
    assert.is(exchange.url.searchParams.get("Version"), "2024-01-01");
    assert.match(String(exchange.headers["content-type"]), /^application\/json/);
    assert.match(String(exchange.headers.authorization), /SignedHeaders=x-content-sha256;x-date,/);
  }
});

test("the checks themselves: a doctored doc and made-up requests", () => {
  const doctored = `
| action | field | type | required | ark-sync sends | source | notes |
|---|---|---|---|---|---|---|
| CreateEndpoint | \`Name\` | string | yes | always | x | |
| CreateEndpoint | \`Tags\` | object[] | no | when set | x | |
| CreateEndpoint | \`Tags[].Key\` | string | yes | when set | x | |
| CreateEndpoint | \`DryRun\` | boolean | no | always | x | |
| CreateEndpoint | \`Description\` | string | no | no | x | |
| GetEndpoint | \`Id\` | string | yes | always | x | |
`;
  const sent = (body: unknown): Exchange => ({
    action: "CreateEndpoint",
    method: "POST",
    url: new URL("http://recorder.invalid/?Action=CreateEndpoint"),
    headers: {},
    body,
    status: 200,
    reply: undefined,
  });
  const made = [
    sent({ Name: "a", Tags: [{ Key: "k", Value: "v" }], Description: "d" }),
    sent({ Name: "b", DryRun: true, ModelReference: { CustomModelId: "cm" } }),
  ];
  const rows = parseRequestRows(doctored);
  assert.equal(undocumentedRequestFields(rows, made), [
    "CreateEndpoint: ModelReference",
    "CreateEndpoint: ModelReference.CustomModelId",
    "CreateEndpoint: Tags[].Value",
  ]);
  assert.equal(wrongSendsClaims(rows, made), [
    'CreateEndpoint: DryRun is documented "always" but 1 request(s) lacked it',
    'CreateEndpoint: Description is documented "no" but the client sent it in 1 request(s)',
    'GetEndpoint: Id is documented "always" but the client never called GetEndpoint',
  ]);
  assert.throws(() => parseRequestRows(doctored.replace("| always | x |", "| sometimes | x |")), /sends/);
});

test.run();
