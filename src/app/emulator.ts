// `ark-sync emulator`: starts the Ark emulator, prints `listening on URL` as the first stdout line,
// logs calls on stderr, and stops cleanly on SIGINT or SIGTERM.
import { ArkSyncError } from "../core/errors.js";
import { injectableCodes, isInjectableCode } from "../emulator/api-error.js";
import { type ActionName, isActionName } from "../emulator/ark-types.js";
import { type FaultKind, type FaultSpec, faultKinds } from "../emulator/fault-queue.js";
import { loadIamFile } from "../emulator/iam-file.js";
import { type CallRecord, type EmulatorOptions, startEmulator } from "../emulator/start-emulator.js";
import type { AppContext, Environment, ExitCode, SignalSource } from "./context.js";

export interface EmulatorCommandOptions {
  port: number;
  data: string | undefined;
  /** JSON file of IAM users, roles and OIDC providers (docs/emulator.md, Identities and permissions). */
  iam: string | undefined;
  accessKey: string | undefined;
  secretKey: string | undefined;
  provisioningDelayMs: number;
  latencyMs: number;
  requestsPerSecond: number | undefined;
  rollingStepPercent: number;
  rollingStepMs: number;
  /** RollbackEndpointRolling steps back one step only (Ark's pessimistic answer). */
  rollbackOneStep: boolean;
  /** GetEndpointRolling does not name the switch's models (Ark's pessimistic answer). */
  rollingInfoWithoutModels: boolean;
  /** DeleteEndpoint of a Running endpoint is refused, as Ark may. */
  refuseDeleteRunning: boolean;
  /** UpdateEndpoint fields answered with success but not applied (docs/emulator.md). */
  ignoreUpdateFields: string[];
  /** CreateEndpoint fields answered with success but given their defaults. */
  ignoreCreateFields: string[];
  /** CreateEndpoint with DryRun creates for real (Ark's pessimistic answer). */
  ignoreDryRun: boolean;
  /** Endpoint ids ListEndpoints leaves off its pages, as a list shifted by a delete may (docs/emulator.md). */
  listSkipsEndpoints: string[];
  /** Endpoint ids only unfiltered ListEndpoints pages leave off, as a page a delete shifted does (docs/emulator.md). */
  listShiftsPast: string[];
  /** DeleteEndpoint answers NotFound.Endpoint and keeps the endpoint, as Ark may to a caller who may not see it. */
  deleteAnswersNotFound: boolean;
  /** Throttling answers AccountFlowLimitExceeded, HTTP 400, as ark-cli reports (docs/emulator.md). */
  throttleAsAccountFlowLimit: boolean;
  /** `ACTION:KIND[:COUNT]`, KIND a fault kind or an error code to answer */
  faults: string[];
  quiet: boolean;
  region: string;
}

/** The credentials the emulator accepts when neither flags nor VOLC_ACCESSKEY/VOLC_SECRETKEY give any. */
export const demoCredentials = { accessKey: "emulator-ak", secretKey: "emulator-sk" } as const;

export async function run(options: EmulatorCommandOptions, ctx: AppContext): Promise<ExitCode> {
  const { io } = ctx;
  const faults = options.faults.map(parseFault);
  checkNumber("--port", options.port);
  checkNumber("--provisioning-delay", options.provisioningDelayMs);
  checkNumber("--latency", options.latencyMs);
  checkNumber("--rolling-step-ms", options.rollingStepMs);
  if (!(options.rollingStepPercent > 0 && options.rollingStepPercent <= 100)) {
    throw new ArkSyncError("usage", "emulator_bad_option", "--rolling-step-percent must be > 0 and <= 100.");
  }
  if (options.requestsPerSecond !== undefined) checkNumber("--rps", options.requestsPerSecond);
  const credentials = resolveCredentials(options, ctx.env);
  const iam = options.iam === undefined ? undefined : await loadIamFile(options.iam);

  const emulatorOptions: EmulatorOptions = {
    port: options.port,
    accessKey: credentials.accessKey,
    secretKey: credentials.secretKey,
    region: options.region,
    provisioningDelayMs: options.provisioningDelayMs,
    refuseDeleteRunning: options.refuseDeleteRunning,
    ignoreUpdateFields: options.ignoreUpdateFields,
    ignoreCreateFields: options.ignoreCreateFields,
    ignoreDryRun: options.ignoreDryRun,
    listSkipsEndpoints: options.listSkipsEndpoints,
    listShiftsPast: options.listShiftsPast,
    deleteAnswersNotFound: options.deleteAnswersNotFound,
    throttleAsAccountFlowLimit: options.throttleAsAccountFlowLimit,
    latencyMs: options.latencyMs,
    rollingStepPercent: options.rollingStepPercent,
    rollingStepMs: options.rollingStepMs,
    rollbackOneStep: options.rollbackOneStep,
    rollingInfoWithoutModels: options.rollingInfoWithoutModels,
    ...(options.requestsPerSecond === undefined ? {} : { requestsPerSecond: options.requestsPerSecond }),
    ...(options.data === undefined ? {} : { dataFile: options.data }),
    ...(iam === undefined ? {} : { iam }),
    ...(options.quiet ? {} : { onCall: (record: CallRecord) => io.err(`${describeCall(record)}\n`) }),
  };
  const emulator = await startEmulator(emulatorOptions);
  try {
    for (const fault of faults) emulator.injectFault(fault);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const stopped = waitForStopSignal(ctx.signals);

  io.out(`listening on ${emulator.url}\n`);
  const storage = options.data
    ? `${options.data} (${emulator.listEndpoints().length} endpoints)`
    : "in memory only (use --data FILE to keep endpoints between runs)";
  io.err(
    [
      `Ark emulator: API 2024-01-01, region ${emulator.region}`,
      `  credentials: ${credentials.source}`,
      ...(iam === undefined
        ? []
        : [
            `  identities: ${options.iam} (${count(iam.users?.length ?? 0, "user")}, ${count(iam.roles?.length ?? 0, "role")}, ${count(iam.oidcProviders?.length ?? 0, "OIDC provider")}; STS on the same URL)`,
          ]),
      `  data: ${storage}`,
      `  provisioning delay ${options.provisioningDelayMs} ms, latency ${options.latencyMs} ms, ` +
        `rate limit ${options.requestsPerSecond === undefined ? "none" : `${options.requestsPerSecond}/s`}, ` +
        `throttled with ${options.throttleAsAccountFlowLimit ? "AccountFlowLimitExceeded (HTTP 400)" : "FlowLimitExceeded (HTTP 429)"}`,
      `  model switches: ${options.rollingStepPercent}% every ${options.rollingStepMs} ms; ` +
        `a rollback steps back ${options.rollbackOneStep ? "one step" : "to 0%"}; ` +
        `GetEndpointRolling ${options.rollingInfoWithoutModels ? "does not name" : "names"} their models`,
      `  DeleteEndpoint of a Running endpoint: ${options.refuseDeleteRunning ? "refused (stop it first)" : "allowed"}`,
      ...(options.ignoreUpdateFields.length > 0
        ? [`  UpdateEndpoint ignores: ${options.ignoreUpdateFields.join(", ")} (answered OK, not applied)`]
        : []),
      ...(options.ignoreCreateFields.length > 0
        ? [`  CreateEndpoint ignores: ${options.ignoreCreateFields.join(", ")} (answered OK, given defaults)`]
        : []),
      ...(options.ignoreDryRun
        ? ["  CreateEndpoint ignores DryRun: it creates the endpoint and answers its Id"]
        : []),
      ...(options.listSkipsEndpoints.length > 0
        ? [
            `  ListEndpoints skips: ${options.listSkipsEndpoints.join(", ")} (still counted, and found by GetEndpoint)`,
          ]
        : []),
      ...(options.listShiftsPast.length > 0
        ? [
            `  ListEndpoints without filters skips: ${options.listShiftsPast.join(", ")} (still counted, and found by filtered lists and GetEndpoint)`,
          ]
        : []),
      ...(options.deleteAnswersNotFound
        ? ["  DeleteEndpoint: answers NotFound.Endpoint and keeps the endpoint"]
        : []),
      ...(faults.length > 0 ? [`  faults: ${options.faults.join(", ")}`] : []),
      `  use it with: ark-sync plan --api-url ${emulator.url}   (Ctrl-C stops the emulator)`,
      "",
    ].join("\n"),
  );

  const signal = await stopped;
  io.err(`${signal}: stopping the emulator\n`);
  await emulator.close();
  return 0;
}

function resolveCredentials(
  options: EmulatorCommandOptions,
  env: Environment,
): { accessKey: string; secretKey: string; source: string } {
  if (options.accessKey !== undefined || options.secretKey !== undefined) {
    if (!options.accessKey || !options.secretKey) {
      throw new ArkSyncError(
        "usage",
        "emulator_credentials",
        "Give both --access-key and --secret-key, or neither.",
      );
    }
    return {
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      source: "from --access-key / --secret-key",
    };
  }
  return defaultEmulatorKeys(env);
}

/** The keys the emulator accepts when no flag names them: VOLC_ACCESSKEY / VOLC_SECRETKEY when both
 * are set (so one environment drives ark-sync and the emulator), else the demo pair. */
export function defaultEmulatorKeys(env: Environment): {
  accessKey: string;
  secretKey: string;
  source: string;
} {
  if (env.VOLC_ACCESSKEY && env.VOLC_SECRETKEY) {
    return {
      accessKey: env.VOLC_ACCESSKEY,
      secretKey: env.VOLC_SECRETKEY,
      source: "from VOLC_ACCESSKEY / VOLC_SECRETKEY",
    };
  }
  return { ...demoCredentials, source: "the built-in demo credentials (see docs/emulator.md)" };
}

/** `ACTION:KIND[:COUNT]`, ACTION an action name or `*`, KIND a fault kind or one of the account's
 * refusals to answer (`ModelNotOpen`, …: an `error` fault). */
function parseFault(text: string): FaultSpec {
  const [action = "", kind = "", count, ...rest] = text.split(":");
  const usage = (reason: string) =>
    new ArkSyncError("usage", "emulator_bad_fault", `Bad --fault "${text}": ${reason}.`, {
      hint: "Write ACTION:KIND[:COUNT], e.g. --fault CreateEndpoint:lost-reply or --fault '*:internal-error:3'.",
    });
  if (rest.length > 0) throw usage("too many ':'");
  if (action !== "*" && !isActionName(action)) throw usage(`unknown action ${action}`);
  const kinds = faultKinds.filter((known) => known !== "error");
  if (!(kinds as readonly string[]).includes(kind) && !isInjectableCode(kind))
    throw usage(`KIND must be one of ${kinds.join(", ")}, or an error code: ${injectableCodes.join(", ")}`);
  const times = count === undefined ? 1 : Number(count);
  if (!Number.isInteger(times) || times < 1) throw usage("COUNT must be a positive integer");
  const target = { action: action as ActionName | "*", count: times };
  return isInjectableCode(kind)
    ? { ...target, kind: "error", code: kind }
    : { ...target, kind: kind as FaultKind };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function checkNumber(flag: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new ArkSyncError("usage", "emulator_bad_option", `${flag} must be a number >= 0.`);
  }
}

function describeCall(record: CallRecord): string {
  const outcome = record.status === null ? "connection closed without an answer" : String(record.status);
  const code = record.code ? ` ${record.code}` : "";
  const fault = record.fault ? ` [fault: ${record.fault}]` : "";
  return `${record.action || "(no Action)"} ${outcome}${code}${fault} ${record.durationMs}ms`;
}

function waitForStopSignal(signals: SignalSource): Promise<"SIGINT" | "SIGTERM"> {
  return new Promise((resolve) => {
    const onInterrupt = () => stop("SIGINT");
    const onTerminate = () => stop("SIGTERM");
    const stop = (signal: "SIGINT" | "SIGTERM") => {
      signals.off("SIGINT", onInterrupt);
      signals.off("SIGTERM", onTerminate);
      resolve(signal);
    };
    signals.on("SIGINT", onInterrupt);
    signals.on("SIGTERM", onTerminate);
  });
}
