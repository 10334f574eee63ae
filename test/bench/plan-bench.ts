// Benchmark (not a test): plan and render 10,000 endpoints with tags, then compare `ark-sync --help`
// start-up with bare `node -e 0`. Prints figures; targets are in docs/contributing.md.
// Run: npm run bench   (or: node dist/test/bench/plan-bench.js [count])
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { computePlan } from "../../src/core/compute-plan.js";
import type {
  DesiredEndpoint,
  EndpointAttributes,
  LiveEndpoint,
  StateDocument,
} from "../../src/core/types.js";
import { renderPlanJson } from "../../src/render/plan-json.js";
import { renderPlanText } from "../../src/render/text.js";

const count = Number(process.argv[2] ?? 10_000);
const cliPath = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

/** A realistic mix: most endpoints unchanged, some updated, drifted, replaced, created, destroyed. */
function buildInputs(n: number) {
  const desired: DesiredEndpoint[] = [];
  const live: LiveEndpoint[] = [];
  const state: StateDocument = { version: 1, lineage: "bench", serial: 1, resources: {} };
  for (let i = 0; i < n; i++) {
    const name = `chat-${String(i).padStart(5, "0")}`;
    const base: EndpointAttributes = {
      name,
      project_name: i % 2 ? "default" : "search",
      description: `endpoint ${i}`,
      model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
      rate_limit: { rpm: 100, tpm: 10_000 },
      tags: [
        { key: "env", value: "prod" },
        { key: "team", value: `team-${i % 17}` },
        { key: "cost-center", value: `cc-${i % 5}` },
      ],
    };
    const address = `${base.project_name}/${name}`;
    const wanted = structuredClone(base);
    if (i % 10 === 1) wanted.rate_limit = { rpm: 200, tpm: 10_000 };
    if (i % 50 === 2) wanted.tags = [...(wanted.tags ?? []), { key: "tier", value: "gold" }];
    const liveAttributes = structuredClone(base);
    if (i % 25 === 3) liveAttributes.description = "edited in the console";
    if (i % 100 !== 4) {
      desired.push({
        address,
        attributes: wanted,
        lifecycle: {},
        source: { file: `m/${name}.yaml`, line: 1, col: 1 },
      });
    }
    if (i % 100 === 5) continue; // a new endpoint: in manifests only
    state.resources[address] = {
      endpoint_id: `ep-${i}`,
      last_applied: base,
      applied_at: "2026-11-01T00:00:00Z",
    };
    live.push({ endpoint_id: `ep-${i}`, attributes: liveAttributes, status: "Running" });
  }
  return { desired, state, live };
}

function measurePlan() {
  const { desired, state, live } = buildInputs(count);
  const started = performance.now();
  const plan = computePlan(desired, state, live);
  const planned = performance.now();
  const text = renderPlanText(plan, { color: false });
  const rendered = performance.now();
  const json = renderPlanJson(plan);
  const done = performance.now();
  return {
    plan: planned - started,
    text: rendered - planned,
    json: done - rendered,
    total: done - started,
    summary: plan.summary,
    textBytes: text.length,
    jsonBytes: json.length,
  };
}

function medianStartup(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: "ignore" });
    times.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const result = measurePlan();
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const ms = (value: number) => `${value.toFixed(0)} ms`;
console.log(`plan + render of ${count} endpoints (${JSON.stringify(result.summary)})`);
console.log(`  computePlan      ${ms(result.plan)}`);
console.log(`  render text      ${ms(result.text)}  (${(result.textBytes / 1024).toFixed(0)} KiB)`);
console.log(`  render JSON      ${ms(result.json)}  (${(result.jsonBytes / 1024).toFixed(0)} KiB)`);
console.log(`  total            ${ms(result.total)}   target < 1000 ms`);
console.log(
  `  peak RSS         ${peakRssMiB.toFixed(0)} MiB (whole process, inputs included)   target < 256 MiB`,
);

const runs = 15;
const bare = medianStartup(["-e", "0"], runs);
const help = medianStartup([cliPath, "--help"], runs);
console.log(`start-up, median of ${runs}`);
console.log(`  node -e 0        ${ms(bare)}`);
console.log(`  ark-sync --help  ${ms(help)}  (${(help / bare).toFixed(2)}x bare node; target within 3x)`);
