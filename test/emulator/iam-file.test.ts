// `ark-sync emulator --iam FILE`, run in this process through the use case: the file's users and roles
// are the emulator's, the start-up summary counts them, and a malformed file is refused by element,
// never quoting a key.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as emulatorUseCase from "../../src/app/emulator.js";
import { runHere, testContext } from "../app/context.js";
import { arkClient, errorCode, foundationModel, ok, waitFor, withTempDir } from "./helpers.js";

const options = (iam: string): emulatorUseCase.EmulatorCommandOptions => ({
  port: 0,
  data: undefined,
  iam,
  accessKey: "AKLTmain",
  secretKey: "main-secret",
  provisioningDelayMs: 0,
  latencyMs: 0,
  requestsPerSecond: undefined,
  rollingStepPercent: 20,
  rollingStepMs: 200,
  rollbackOneStep: false,
  rollingInfoWithoutModels: false,
  ignoreUpdateFields: [],
  ignoreCreateFields: [],
  ignoreDryRun: false,
  listSkipsEndpoints: [],
  listShiftsPast: [],
  deleteAnswersNotFound: false,
  throttleAsAccountFlowLimit: false,
  refuseDeleteRunning: true,
  faults: [],
  quiet: true,
  region: "cn-beijing",
});

test("the file's users hold only their actions; the summary counts identities", () =>
  withTempDir(async (dir) => {
    const file = join(dir, "iam.json");
    const planner = { name: "planner", accessKey: "AKLTplanner", secretKey: "planner-secret" };
    await writeFile(
      file,
      JSON.stringify({
        users: [{ ...planner, actions: ["ark:List*", "ark:Get*"] }],
        roles: [{ trn: "trn:iam::2100000001:role/ark-sync-plan", actions: ["ark:ListEndpoints"] }],
      }),
    );
    const ctx = testContext();
    const running = runHere(emulatorUseCase.run, options(file), ctx);
    const url = await waitFor(async () => /listening on (\S+)/.exec(ctx.io.stdout)?.[1]);
    const port = Number(new URL(url).port);
    const plan = arkClient(
      { port, region: "cn-beijing" },
      { accessKeyId: planner.accessKey, secretKey: planner.secretKey },
    );
    await ok(plan.call("ListEndpoints", {}));
    assert.is(
      errorCode(await plan.call("CreateEndpoint", { Name: "x", ModelReference: foundationModel })),
      "AccessDenied",
    );
    ctx.signals.emit("SIGTERM");
    assert.is((await running).code, 0);
    assert.match(
      ctx.io.stderr,
      `identities: ${file} (1 user, 1 role, 0 OIDC providers; STS on the same URL)`,
    );
    assert.not.match(ctx.io.stderr, "planner-secret");
  }));

test("a malformed file is refused naming the element, not its value", () =>
  withTempDir(async (dir) => {
    const cases: Array<[content: string, message: string]> = [
      ["{", "it is not valid JSON"],
      ['{"users": {}}', "users must be a list"],
      [
        '{"users": [{"name": "a", "accessKey": "AKLTa", "secretKey": 7, "actions": []}]}',
        "users[0].secretKey must be a non-empty string",
      ],
      [
        '{"roles": [{"trn": "trn:iam::1:role/r", "actions": "ark:*"}]}',
        "roles[0].actions must be a list of strings",
      ],
      ['{"roles": [{"trn": "role/r", "actions": []}]}', "the role role/r is not a role TRN"],
      [
        '{"roles": [{"trn": "trn:iam::1:role/r", "actions": [], "trustedUsers": ["ghost"]}]}',
        "trusts the user ghost, who is not configured",
      ],
    ];
    for (const [index, [content, message]] of cases.entries()) {
      const file = join(dir, `iam-${index}.json`);
      await writeFile(file, content);
      const { error } = await runHere(emulatorUseCase.run, options(file), testContext());
      assert.match(String((error as Error)?.message), message, content);
    }
  }));

test.run();
