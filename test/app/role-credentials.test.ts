// plan and apply holding only a short-lived role session, in this process against the emulator over
// loopback: assumed with an IAM user's keys (STS AssumeRole) or with a GitHub Actions OIDC token from a
// local stand-in for GitHub's token endpoint (AssumeRoleWithOIDC); refused, narrowed and expired
// sessions; and no key or token in any output.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { arkConnector } from "../../src/app/ark-connector.js";
import * as plan from "../../src/app/plan.js";
import type { Emulator } from "../../src/emulator/start-emulator.js";
import { applyOptions, endpointYaml, makeWorkspace, startCloud, type Workspace } from "../apply/helpers.js";
import { testIdentityProvider } from "../emulator/oidc-tokens.js";
import { planOptionsFor, runLikeCli, testContext } from "./context.js";

const deployer = {
  name: "deployer",
  accessKey: "AKLTdeployerKey0001",
  secretKey: "deployer/Secret+Key==0001",
};
const reader = { name: "reader", accessKey: "AKLTreaderKey00001", secretKey: "reader/Secret+Key==00001" };
const applyRole = "trn:iam::2100000001:role/ark-sync-apply";
const idp = testIdentityProvider();

interface Context {
  cloud: Emulator;
  ws: Workspace;
  /** The emulator's clock runs this far ahead of the wall clock. */
  skewMs: number;
}

const test = suite<Context>("plan and apply with role credentials");

test.before.each(async (context) => {
  context.skewMs = 0;
  context.cloud = await startCloud({
    now: () => Date.now() + context.skewMs,
    maxClockSkewSeconds: 86_400,
    iam: {
      users: [
        { ...deployer, actions: ["sts:AssumeRole"] },
        { ...reader, actions: ["ark:List*", "ark:Get*"] },
      ],
      roles: [
        { trn: applyRole, actions: ["ark:*"], trustedUsers: ["deployer"], trustedOidcProviders: ["github"] },
      ],
      oidcProviders: [idp.provider],
    },
  });
  context.ws = await makeWorkspace();
  await context.ws.write("chat.yaml", endpointYaml("chat"));
});

test.after.each(async ({ cloud, ws }) => {
  await cloud.close();
  await ws.dispose();
});

function roleEnv(cloud: Emulator, extra: Record<string, string> = {}) {
  return {
    VOLC_ACCESSKEY: deployer.accessKey,
    VOLC_SECRETKEY: deployer.secretKey,
    VOLC_ROLE_TRN: applyRole,
    VOLC_STS_URL: cloud.url,
    GITHUB_RUN_ID: "77",
    ...extra,
  };
}

function planHere({ cloud, ws }: Context, env: Record<string, string>) {
  const options: plan.PlanOptions = planOptionsFor(ws.manifests, {
    apiUrl: cloud.url,
    region: "cn-beijing",
    parallelism: 10,
  });
  return runLikeCli(plan.run, options, testContext({ env }));
}

async function applyHere({ cloud, ws }: Context, env: Record<string, string>, arkDryRun = true) {
  const { run } = await import("../../src/app/apply.js");
  const options = applyOptions(cloud, ws.manifests, { arkDryRun });
  return runLikeCli(run, options, testContext({ env, cwd: ws.root }));
}

function assertNoSecrets(output: string, secrets: string[]): void {
  for (const secret of secrets) assert.not.match(output, secret);
}

test("a long-lived context assumes the role again once half the session has passed", async (context) => {
  const { cloud } = context;
  let clock = Date.now();
  const connect = arkConnector(roleEnv(cloud), undefined, { fetch, now: () => clock });
  const ark = { apiUrl: cloud.url, region: "cn-beijing", parallelism: 1 };
  const first = await connect(ark);
  await first.listEndpoints({ projectName: "default" });
  await (await connect(ark)).listEndpoints({ projectName: "default" });
  assert.is(cloud.stats().byAction.AssumeRole, 1, "one session while it is young");

  // 40 minutes on, for both clocks, of a 60-minute session: the next client gets a new session.
  clock += 40 * 60_000;
  context.skewMs = 40 * 60_000;
  const renewed = await connect(ark);
  assert.is(cloud.stats().byAction.AssumeRole, 2);
  // 65 minutes on: Ark refuses the first session and accepts the new one.
  context.skewMs = 65 * 60_000;
  const refused = await first.listEndpoints({ projectName: "default" }).then(
    () => "accepted",
    (error: Error) => error.message,
  );
  assert.match(refused, "The security token expired");
  await renewed.listEndpoints({ projectName: "default" });
});

test("plan and apply each assume the role once and name the session; no key is printed", async (context) => {
  const { cloud } = context;
  const env = roleEnv(cloud);
  const planned = await planHere(context, env);
  assert.is(planned.code, 0, planned.stderr);
  assert.match(planned.stdout, "Plan: 1 to add, 0 to change, 0 to destroy.");
  assert.match(
    planned.stderr,
    /^Assumed trn:iam::2100000001:role\/ark-sync-apply as session ark-sync-77 \(STS AssumeRole\); the session ends at \d{4}-\d\d-\d\dT[\d:]+Z\.$/m,
  );
  const applied = await applyHere(context, env);
  assert.is(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
  assert.is(cloud.listEndpoints().length, 1);
  assert.is(cloud.stats().byAction.AssumeRole, 2);
  assertNoSecrets(planned.stdout + planned.stderr + applied.stdout + applied.stderr, [
    deployer.accessKey,
    deployer.secretKey,
    "AKTP",
    "STS2",
  ]);
});

test("a refused AssumeRole stops the run before any Ark call, naming the role and what to check", async (context) => {
  const { cloud } = context;
  const run = await planHere(
    context,
    roleEnv(cloud, { VOLC_ACCESSKEY: reader.accessKey, VOLC_SECRETKEY: reader.secretKey }),
  );
  assert.is(run.code, 1);
  assert.match(
    run.stderr,
    `Error: STS refused AssumeRole of ${applyRole} as ark-sync-77: AccessDenied: reader is not allowed to perform sts:AssumeRole. (HTTP 403, RequestId `,
  );
  assert.match(
    run.stderr,
    "Hint: Check that VOLC_ROLE_TRN names the role, that its trust policy names the IAM user",
  );
  assert.is(cloud.stats().byAction.ListEndpoints, undefined);
  assertNoSecrets(run.stderr, [reader.accessKey, reader.secretKey]);
});

test("an inline session policy that allows only reads makes the write AccessDenied: nothing is created", async (context) => {
  const { cloud } = context;
  const readsOnly = JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["ark:List*", "ark:Get*"] }] });
  const run = await applyHere(context, roleEnv(cloud, { VOLC_ROLE_POLICY: readsOnly }));
  assert.is(run.code, 1);
  assert.match(
    run.stderr,
    /AccessDenied: trn:sts::2100000001:assumed-role\/ark-sync-apply\/ark-sync-77 is not allowed to perform ark:CreateEndpoint/,
  );
  assert.match(run.stderr, "These credentials may not call CreateEndpoint (for default/chat)");
  assert.match(run.stderr, "so nothing was applied.");
  assert.is(cloud.listEndpoints().length, 0);

  // Without apply's DryRun check, the create itself is refused.
  const unchecked = await applyHere(context, roleEnv(cloud, { VOLC_ROLE_POLICY: readsOnly }), false);
  assert.is(unchecked.code, 1);
  assert.match(
    unchecked.stderr,
    "default/chat: create failed: Ark CreateEndpoint failed (auth): AccessDenied",
  );
  assert.match(unchecked.stderr, "AccessDenied");
  assert.match(unchecked.stderr, "VOLC_ROLE_POLICY, which narrows it");
  assert.is(cloud.listEndpoints().length, 0);
});

test("a session that expires before the run ends: Ark's InvalidSecretToken, with the hint to lengthen it", async (context) => {
  const { cloud } = context;
  // The emulator's clock jumps 15 minutes ahead as soon as the role is assumed.
  cloud.resetStats();
  const env = roleEnv(cloud, { VOLC_ROLE_DURATION_SECONDS: "900" });
  const jump = setInterval(() => {
    if (cloud.stats().byAction.AssumeRole) context.skewMs = 900_000;
  }, 1);
  try {
    const run = await planHere(context, env);
    assert.is(run.code, 1);
    assert.match(run.stderr, /InvalidSecretToken: The security token expired at .*; assume the role again/);
    assert.match(run.stderr, "lasts VOLC_ROLE_DURATION_SECONDS (default 3600): make it outlast the run");
  } finally {
    clearInterval(jump);
  }
});

/** A stand-in for GitHub's OIDC token endpoint: checks the bearer token, signs a token for the audience asked. */
async function fakeGitHub(
  requestToken: string,
): Promise<{ url: string; server: Server; audiences: string[] }> {
  const audiences: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://github.invalid");
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}');
      return;
    }
    const audience = url.searchParams.get("audience") ?? "";
    audiences.push(audience);
    const value = idp.token({ sub: "repo:acme/models:environment:ark-sync-apply", aud: audience });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: 1, value }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_apis/idtoken?api-version=2.0`;
  return { url, server, audiences };
}

test("in GitHub Actions without keys: the job's OIDC token assumes the role (AssumeRoleWithOIDC)", async (context) => {
  const { cloud } = context;
  const github = await fakeGitHub("runtime-request-token");
  try {
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: github.url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runtime-request-token",
      VOLC_ROLE_TRN: applyRole,
      VOLC_STS_URL: cloud.url,
      GITHUB_RUN_ID: "78",
    };
    const planned = await planHere(context, env);
    assert.is(planned.code, 0, planned.stderr);
    assert.match(
      planned.stderr,
      "as session ark-sync-78 (STS AssumeRoleWithOIDC, with the job's GitHub OIDC token)",
    );
    const applied = await applyHere(context, env);
    assert.is(applied.code, 0, applied.stderr);
    assert.is(cloud.listEndpoints().length, 1);
    assert.equal(github.audiences, ["sts.volcengineapi.com", "sts.volcengineapi.com"]);
    assert.is(cloud.stats().byAction.AssumeRoleWithOIDC, 2);
    assertNoSecrets(planned.stderr + applied.stderr, ["runtime-request-token", "eyJ"]);

    const refused = await planHere(context, { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "stale" });
    assert.is(refused.code, 1);
    assert.match(
      refused.stderr,
      "Error: GitHub did not give this job an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL answered HTTP 401.",
    );
    assert.match(refused.stderr, "permissions: id-token: write");
    const wrongAudience = await planHere(context, { ...env, VOLC_OIDC_AUDIENCE: "sts.amazonaws.com" });
    assert.match(
      wrongAudience.stderr,
      "STS refused AssumeRoleWithOIDC of trn:iam::2100000001:role/ark-sync-apply as ark-sync-78: InvalidParameter",
    );
    assert.match(wrongAudience.stderr, "client IDs include VOLC_OIDC_AUDIENCE");
  } finally {
    github.server.close();
  }
});

test("VOLC_ROLE_TRN with neither keys nor an OIDC token says both ways to assume it", async (context) => {
  const run = await planHere(context, { VOLC_ROLE_TRN: applyRole, VOLC_STS_URL: context.cloud.url });
  assert.is(run.code, 1);
  assert.match(
    run.stderr,
    `Error: VOLC_ROLE_TRN is set, but nothing can assume ${applyRole}: no VOLC_ACCESSKEY/VOLC_SECRETKEY`,
  );
  assert.is(context.cloud.stats().requests, 0);
});

test.run();
