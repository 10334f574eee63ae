import type { CommandModule } from "yargs";
import { DEFAULT_REGION } from "../../app/directory-connection.js";
import { withOwnOptionsFirst } from "../command-help.js";
import { arkSettings, type GlobalOptions } from "../global-options.js";
import { runUseCase } from "../run-use-case.js";
import { emulatorEndpointCommand } from "./emulator-endpoint.js";
import { emulatorModelsCommand } from "./emulator-models.js";

interface EmulatorArgs extends GlobalOptions {
  port: number;
  data?: string;
  iam?: string;
  "access-key"?: string;
  "secret-key"?: string;
  "provisioning-delay": number;
  latency: number;
  rps?: number;
  "rolling-step-percent": number;
  "rolling-step-ms": number;
  "rollback-one-step": boolean;
  "rolling-info-without-models": boolean;
  "refuse-delete-running": boolean;
  "ignore-update-field"?: string[];
  "ignore-create-field"?: string[];
  "ignore-dry-run": boolean;
  "list-skips-endpoint"?: string[];
  "list-shifts-past"?: string[];
  "delete-answers-not-found": boolean;
  "throttle-as-account-flow-limit": boolean;
  fault?: string[];
  quiet: boolean;
}

export const emulatorCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "emulator",
  describe:
    "The local Ark emulator: run it (serve, the default), act on it as the Ark console (endpoint), list its models",
  builder: (yargs) =>
    yargs
      .command(withOwnOptionsFirst(emulatorServeCommand))
      .command(withOwnOptionsFirst(emulatorEndpointCommand))
      .command(withOwnOptionsFirst(emulatorModelsCommand)),
  handler: () => {},
};

export const emulatorServeCommand: CommandModule<GlobalOptions, EmulatorArgs> = {
  command: ["serve", "$0"],
  describe: "Run a local Ark control-plane emulator on 127.0.0.1 (for tests and demos; no cloud account)",
  builder: (yargs) =>
    yargs
      .example("$0 emulator serve", "Serve Ark on 127.0.0.1:8787 with the demo keys (serve is the default)")
      .example(
        "$0 emulator serve --port 0 --data emulator.json",
        "Any free port; keep the endpoints in emulator.json",
      )
      .example("$0 emulator serve --fault CreateEndpoint:throttle:2", "Throttle the first two creates")
      .option("port", { type: "number", default: 8787, describe: "TCP port on 127.0.0.1 (0: any free port)" })
      .option("data", {
        type: "string",
        describe: "JSON file that keeps the endpoints between runs (default: in memory only)",
      })
      .option("iam", {
        type: "string",
        describe:
          "JSON file of IAM users (keys allowed only some actions), roles for STS AssumeRole, and OIDC providers",
      })
      .option("access-key", {
        type: "string",
        describe:
          "The account's main access key id, allowed every Ark action [default: $VOLC_ACCESSKEY, else the demo key emulator-ak]",
      })
      .option("secret-key", {
        type: "string",
        describe: "Secret key to accept [default: $VOLC_SECRETKEY, else the demo key]",
      })
      .option("provisioning-delay", {
        type: "number",
        default: 2000,
        describe: "Milliseconds an endpoint stays Scheduling after create or start",
      })
      .option("latency", { type: "number", default: 0, describe: "Milliseconds added to every answer" })
      .option("rps", { type: "number", describe: "Requests per second before FlowLimitExceeded (HTTP 429)" })
      .option("throttle-as-account-flow-limit", {
        type: "boolean",
        default: false,
        describe:
          "Answer throttling (--rps, throttle faults) with AccountFlowLimitExceeded and HTTP 400, as ark-cli reports " +
          "Ark does while paging, instead of FlowLimitExceeded and HTTP 429",
      })
      .option("rolling-step-percent", {
        type: "number",
        default: 20,
        describe: "How many percent of traffic a model switch moves each step",
      })
      .option("rolling-step-ms", {
        type: "number",
        default: 200,
        describe: "Milliseconds each step of a model switch takes",
      })
      .option("rollback-one-step", {
        type: "boolean",
        default: false,
        describe:
          "RollbackEndpointRolling steps a model switch back one step and holds it there, as seen on Ark " +
          "(default: back to 0 %)",
      })
      .option("rolling-info-without-models", {
        type: "boolean",
        default: false,
        describe:
          "GetEndpointRolling does not say which models a switch moves between (RollingIn, RollingOut)",
      })
      .option("refuse-delete-running", {
        type: "boolean",
        default: true,
        describe:
          "Refuse DeleteEndpoint of a Running endpoint with OperationDenied.EndpointStatus (HTTP 403), as Ark may " +
          "(--no-refuse-delete-running deletes in any state)",
      })
      .option("ignore-update-field", {
        type: "string",
        array: true,
        nargs: 1,
        describe:
          "Answer UpdateEndpoint with success but leave this field as it is, as an Ark that ignores it would: " +
          "Name, Description, RateLimit or Moderation (repeatable)",
      })
      .option("ignore-create-field", {
        type: "string",
        array: true,
        nargs: 1,
        describe:
          "Answer CreateEndpoint with success but give this field its default: Description, ModelUnitId, " +
          "Moderation or RateLimit (repeatable)",
      })
      .option("ignore-dry-run", {
        type: "boolean",
        default: false,
        describe:
          "CreateEndpoint with DryRun creates the endpoint and answers its Id, as an Ark that ignored DryRun would " +
          "(default: it answers DryRunOperation)",
      })
      .option("list-skips-endpoint", {
        type: "string",
        array: true,
        nargs: 1,
        describe:
          "Leave this endpoint id off every ListEndpoints page while TotalCount counts it and GetEndpoint finds it, " +
          "as a list shifted by a delete between its pages may (repeatable)",
      })
      .option("list-shifts-past", {
        type: "string",
        array: true,
        nargs: 1,
        describe:
          "Leave this endpoint id off every ListEndpoints page without Filter or TagFilters while TotalCount counts it " +
          "and filtered lists and GetEndpoint find it, as a page shifted by a delete may (repeatable)",
      })
      .option("delete-answers-not-found", {
        type: "boolean",
        default: false,
        describe:
          "Answer DeleteEndpoint with NotFound.Endpoint (HTTP 404) and keep the endpoint, as Ark may answer a caller " +
          "who may not see it",
      })
      .option("fault", {
        type: "string",
        array: true,
        nargs: 1,
        describe:
          "Inject a fault: ACTION:KIND[:COUNT], ACTION an action name or *, KIND one of internal-error, " +
          "unavailable, throttle, drop, lost-reply, abnormal, failed, or an error code to answer: ModelNotOpen, " +
          "OperationDenied.ServiceNotOpen, OperationDenied.ServiceOverdue, AccountOverdueError, QuotaExceeded (repeatable)",
      })
      .option("quiet", { type: "boolean", default: false, describe: "Do not log each call on stderr" }),
  handler: (args) =>
    runUseCase(
      () => import("../../app/emulator.js"),
      {
        port: args.port,
        data: args.data,
        iam: args.iam,
        accessKey: args["access-key"],
        secretKey: args["secret-key"],
        provisioningDelayMs: args["provisioning-delay"],
        latencyMs: args.latency,
        requestsPerSecond: args.rps,
        rollingStepPercent: args["rolling-step-percent"],
        rollingStepMs: args["rolling-step-ms"],
        rollbackOneStep: args["rollback-one-step"],
        rollingInfoWithoutModels: args["rolling-info-without-models"],
        refuseDeleteRunning: args["refuse-delete-running"],
        ignoreUpdateFields: args["ignore-update-field"] ?? [],
        ignoreCreateFields: args["ignore-create-field"] ?? [],
        ignoreDryRun: args["ignore-dry-run"],
        listSkipsEndpoints: args["list-skips-endpoint"] ?? [],
        listShiftsPast: args["list-shifts-past"] ?? [],
        deleteAnswersNotFound: args["delete-answers-not-found"],
        throttleAsAccountFlowLimit: args["throttle-as-account-flow-limit"],
        faults: args.fault ?? [],
        quiet: args.quiet,
        region: arkSettings(args, 1).region ?? DEFAULT_REGION,
      },
      args,
    ),
};
