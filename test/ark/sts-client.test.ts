// ark-sync's STS client against the emulator's STS over loopback (the SDK's StsService signs), and
// against servers that fail: what it retries, what it refuses at once, and that no key reaches a
// message or the debug log.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createArkClient } from "../../src/ark/client.js";
import { readRoleSettings } from "../../src/ark/role-settings.js";
import { assumeRole } from "../../src/ark/sts-client.js";
import { isArkSyncError } from "../../src/core/errors.js";
import { type Emulator, startEmulator } from "../../src/emulator/start-emulator.js";

const main = { accessKey: "AKLTmainkey0001", secretKey: "main/secret+0001" };
const user = { accessKeyId: "AKLTdeployer0001", secretKey: "deployer/secret+0001" };
const role = "trn:iam::2100000001:role/ark-sync-apply";

interface Context {
  emulator: Emulator;
  debug: string[];
}

const test = suite<Context>("STS client");

test.before.each(async (context) => {
  context.debug = [];
  context.emulator = await startEmulator({
    ...main,
    provisioningDelayMs: 0,
    iam: {
      users: [
        {
          name: "deployer",
          accessKey: user.accessKeyId,
          secretKey: user.secretKey,
          actions: ["sts:AssumeRole"],
        },
      ],
      roles: [{ trn: role, actions: ["ark:*"] }],
    },
  });
});

test.after.each(async ({ emulator }) => {
  await emulator.close();
});

const settings = (stsUrl: string, extra: Record<string, string> = {}) => {
  const read = readRoleSettings({
    VOLC_ROLE_TRN: role,
    VOLC_STS_URL: stsUrl,
    GITHUB_RUN_ID: "4242",
    ...extra,
  });
  if (!read) throw new Error("no role settings");
  return read;
};

test("the session signs Ark calls; the debug log names the role and the expiry, never a key", async ({
  emulator,
  debug,
}) => {
  const session = await assumeRole(user, settings(emulator.url), { debug: (line) => debug.push(line) });
  assert.match(session.assumedRoleTrn ?? "", "assumed-role/ark-sync-apply/ark-sync-4242");
  assert.equal(JSON.stringify(session.credentials), '"[credentials redacted]"');
  const client = createArkClient({ apiUrl: emulator.url, credentials: session.credentials });
  assert.equal(await client.listEndpoints({ projectName: "default" }), []);
  assert.match(debug.join("\n"), `sts -> AssumeRole ${role} as ark-sync-4242 for 3600 s at ${emulator.url}`);
  assert.match(debug.join("\n"), `until ${session.expiration}`);
  const { accessKeyId, secretKey, sessionToken } = session.credentials;
  for (const secret of [accessKeyId, secretKey, sessionToken ?? "?", user.secretKey, user.accessKeyId]) {
    assert.not.match(debug.join("\n"), secret);
  }
});

/** A server answering each request with the next of `answers` (the last one repeats). */
async function fakeSts(
  answers: Array<{ status: number; body: string }>,
): Promise<{ url: string; server: Server; seen: () => number }> {
  let seen = 0;
  const server = createServer((_req, res) => {
    const answer = answers[Math.min(seen, answers.length - 1)] ?? { status: 500, body: "" };
    seen += 1;
    res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen: () => seen };
}

async function failure(run: Promise<unknown>) {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isArkSyncError(error)) throw new Error(`expected an ArkSyncError, got ${String(error)}`);
  return error;
}

test("5xx and answers that are not Volcengine's are tried three times, then said to be unavailable", async () => {
  const sts = await fakeSts([{ status: 502, body: "<html>Bad Gateway</html>" }]);
  const delays: number[] = [];
  try {
    const sleep = async (ms: number) => {
      delays.push(ms);
    };
    const error = await failure(assumeRole(user, settings(sts.url), { sleep }));
    assert.is(error.code, "sts_unavailable");
    assert.is(error.message, `STS AssumeRole of ${role} answered without Volcengine's envelope (HTTP 502).`);
    assert.match(error.hint ?? "", "(VOLC_STS_URL)");
    assert.equal([sts.seen(), delays], [3, [250, 500]]);
  } finally {
    sts.server.close();
  }
});

test("a refusal is not retried and names the role, the code and what to check; an answer without keys is refused", async () => {
  const refusal = JSON.stringify({
    ResponseMetadata: {
      RequestId: "req-1",
      Error: { Code: "AccessDenied", Message: `denied for ${user.accessKeyId}` },
    },
  });
  const empty = JSON.stringify({ ResponseMetadata: { RequestId: "req-2" }, Result: { Credentials: {} } });
  const sts = await fakeSts([
    { status: 403, body: refusal },
    { status: 200, body: empty },
  ]);
  try {
    const refused = await failure(assumeRole(user, settings(sts.url)));
    assert.is(refused.code, "sts_refused");
    assert.is(
      refused.message,
      `STS refused AssumeRole of ${role} as ark-sync-4242: AccessDenied: denied for [REDACTED] (HTTP 403, RequestId req-1).`,
    );
    assert.match(refused.hint ?? "", "trust policy names the IAM user");
    assert.is(sts.seen(), 1);
    const bad = await failure(assumeRole(user, settings(sts.url)));
    assert.is(bad.code, "sts_bad_answer");
    assert.match(bad.message, "answered without AccessKeyId, SecretAccessKey, SessionToken and ExpiredTime");
  } finally {
    sts.server.close();
  }
});

test("keys STS does not accept are named as the fault, not the role", async ({ emulator }) => {
  const error = await failure(assumeRole({ ...user, secretKey: "not-the-secret" }, settings(emulator.url)));
  assert.is(error.code, "sts_refused");
  assert.match(error.message, "SignatureDoesNotMatch");
  assert.match(
    error.hint ?? "",
    "STS did not accept the keys that sign AssumeRole: check VOLC_ACCESSKEY/VOLC_SECRETKEY",
  );
});

test("a closed port is a network failure, tried three times", async () => {
  const sts = await fakeSts([]);
  sts.server.close();
  const error = await failure(assumeRole(user, settings(sts.url), { sleep: async () => {} }));
  assert.is(error.message, `STS AssumeRole of ${role} could not be sent (ECONNREFUSED).`);
});

test("role settings: each variable checked before anything is sent, the policy never quoted", () => {
  const problem = (env: Record<string, string>) => {
    try {
      readRoleSettings({ VOLC_ROLE_TRN: role, ...env });
    } catch (error) {
      return isArkSyncError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    return "accepted";
  };
  assert.is(readRoleSettings({}), undefined);
  assert.is(problem({}), "accepted");
  assert.is(
    problem({ VOLC_ROLE_TRN: "ark-sync-apply" }),
    'invalid_role_settings: VOLC_ROLE_TRN "ark-sync-apply" is not a role TRN.',
  );
  assert.is(
    problem({ VOLC_ROLE_DURATION_SECONDS: "600" }),
    'invalid_role_settings: VOLC_ROLE_DURATION_SECONDS must be a whole number of seconds from 900 to 43200, not "600".',
  );
  assert.is(
    problem({ VOLC_ROLE_POLICY: '{"Statement": [{"Effect": "Allow", "Action": "ListEndpoints"}]}' }),
    'invalid_role_settings: VOLC_ROLE_POLICY is not an IAM policy: Statement[0].Action must be "*", or one or more "service:Action" names (wildcards * and ?).',
  );
  assert.is(
    problem({ VOLC_ROLE_SESSION_NAME: "x".repeat(65) }),
    "invalid_role_settings: VOLC_ROLE_SESSION_NAME is longer than 64 characters.",
  );
  assert.match(
    problem({ VOLC_STS_URL: "https://sts.example/path" }),
    'invalid_api_url: VOLC_STS_URL "https://sts.example/path" is not supported.',
  );
  const defaults = readRoleSettings({ VOLC_ROLE_TRN: role });
  assert.equal(
    [
      defaults?.sessionName,
      defaults?.durationSeconds,
      defaults?.sts,
      defaults?.oidcAudience,
      defaults?.policy,
    ],
    [
      "ark-sync",
      3600,
      { host: "sts.volcengineapi.com", protocol: "https:" },
      "sts.volcengineapi.com",
      undefined,
    ],
  );
});

test.run();
