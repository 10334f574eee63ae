// STS on the emulator over real signed HTTP: the SDK's own StsService assumes roles with an IAM user's
// key, the temporary keys then call Ark with exactly the role's permissions (narrowed by an inline
// session policy), expire by the emulator's clock, and every refusal is Ark's AccessDenied envelope.
import { sts } from "@volcengine/openapi";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Emulator, EmulatorIam } from "../../src/emulator/start-emulator.js";
import {
  type ArkAnswer,
  arkClient,
  errorCode,
  foundationModel,
  ok,
  sendSigned,
  startTestEmulator,
  testCredentials,
} from "./helpers.js";
import { testIdentityProvider } from "./oidc-tokens.js";

const deployer = { name: "deployer", accessKey: "AKLTdeployer0001", secretKey: "deployer/secret+0001" };
const planner = { name: "planner", accessKey: "AKLTplanner00001", secretKey: "planner/secret+00001" };
const readRole = "trn:iam::2100000001:role/ark-sync-plan";
const writeRole = "trn:iam::2100000001:role/ark-sync-apply";
const idp = testIdentityProvider();

const iam: EmulatorIam = {
  users: [
    { ...deployer, actions: ["sts:AssumeRole"] },
    { ...planner, actions: ["ark:List*", "ark:Get*"] },
  ],
  roles: [
    { trn: readRole, actions: ["ark:ListEndpoints", "ark:GetEndpoint"] },
    { trn: writeRole, actions: ["ark:*"], trustedUsers: ["deployer"], trustedOidcProviders: ["github"] },
  ],
  oidcProviders: [idp.provider],
};

interface Context {
  emulator: Emulator;
  clock: { now: number };
}

const test = suite<Context>("STS on the emulator");

test.before.each(async (context) => {
  const clock = { now: Date.now() };
  context.clock = clock;
  // A wide X-Date window, so the tests can move the emulator's clock past a session's expiry.
  context.emulator = await startTestEmulator({ iam, now: () => clock.now, maxClockSkewSeconds: 86_400 });
});

test.after.each(async ({ emulator }) => {
  await emulator.close();
});

/** The SDK's STS client, signing with `keys`, pointed at the emulator. */
function stsClient(emulator: Emulator, keys: { accessKey: string; secretKey: string }) {
  return new sts.StsService({
    serviceName: "sts",
    host: `127.0.0.1:${emulator.port}`,
    protocol: "http:",
    region: "cn-north-1",
    accessKeyId: keys.accessKey,
    secretKey: keys.secretKey,
  });
}

async function assume(
  emulator: Emulator,
  params: { RoleTrn: string; RoleSessionName?: string; DurationSeconds?: number; Policy?: string },
  keys = deployer,
) {
  return (await stsClient(emulator, keys).AssumeRole({
    RoleSessionName: "ci-run-42",
    ...params,
  })) as unknown as ArkAnswer;
}

/** An Ark client signed with the session the answer carries. */
function withSession(emulator: Emulator, answer: ArkAnswer) {
  const { AccessKeyId, SecretAccessKey, SessionToken } = answer.Result.Credentials;
  return arkClient(emulator, {
    accessKeyId: AccessKeyId,
    secretKey: SecretAccessKey,
    sessionToken: SessionToken,
  });
}

const create = { Name: "chat", ModelReference: foundationModel };

test("AssumeRole answers Volcengine's shape; the session calls Ark with the role's permissions", async ({
  emulator,
  clock,
}) => {
  const answer = await assume(emulator, { RoleTrn: writeRole, DurationSeconds: 900 });
  assert.is(answer.ResponseMetadata.Error, undefined, JSON.stringify(answer.ResponseMetadata.Error));
  assert.equal(
    [answer.ResponseMetadata.Service, answer.ResponseMetadata.Version, answer.ResponseMetadata.Action],
    ["sts", "2018-01-01", "AssumeRole"],
  );
  const { Credentials, AssumedRoleUser } = answer.Result;
  assert.match(Credentials.AccessKeyId, /^AKTP/);
  assert.match(Credentials.SessionToken, /^STS2/);
  assert.is(Date.parse(Credentials.ExpiredTime) - Date.parse(Credentials.CurrentTime), 900_000);
  assert.is(Date.parse(Credentials.CurrentTime), Math.floor(clock.now / 1000) * 1000);
  assert.is(AssumedRoleUser.Trn, "trn:sts::2100000001:assumed-role/ark-sync-apply/ci-run-42");

  const session = withSession(emulator, answer);
  await ok(session.call("CreateEndpoint", create));
  assert.is(emulator.listEndpoints().length, 1);
  // The session's token is required with its keys.
  const { AccessKeyId, SecretAccessKey } = Credentials;
  const withoutToken = arkClient(emulator, { accessKeyId: AccessKeyId, secretKey: SecretAccessKey });
  assert.is(errorCode(await withoutToken.call("ListEndpoints")), "InvalidSecretToken");
});

test("a read-only role's session may list, and is refused a write with Ark's AccessDenied", async ({
  emulator,
}) => {
  const session = withSession(emulator, await assume(emulator, { RoleTrn: readRole }));
  await ok(session.call("ListEndpoints", {}));
  const denied = await session.call("CreateEndpoint", { ...create, DryRun: true });
  assert.equal(denied.ResponseMetadata.Error, {
    Code: "AccessDenied",
    CodeN: 100013,
    Message:
      "trn:sts::2100000001:assumed-role/ark-sync-plan/ci-run-42 is not allowed to perform ark:CreateEndpoint.",
  });
  assert.equal(denied.ResponseMetadata.Service, "ark");
  assert.is(emulator.stats().byAction.CreateEndpoint, 1);
  assert.is(emulator.listEndpoints().length, 0);
});

test("an inline session policy narrows the role: a Deny or a missing Allow refuses the write", async ({
  emulator,
}) => {
  const readsOnly = JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["ark:List*", "ark:Get*"] }] });
  const narrowed = withSession(emulator, await assume(emulator, { RoleTrn: writeRole, Policy: readsOnly }));
  await ok(narrowed.call("ListEndpoints", {}));
  assert.is(errorCode(await narrowed.call("CreateEndpoint", create)), "AccessDenied");

  const noDeletes = JSON.stringify({
    Statement: [
      { Effect: "Allow", Action: "ark:*" },
      { Effect: "Deny", Action: "ark:DeleteEndpoint" },
    ],
  });
  const session = withSession(emulator, await assume(emulator, { RoleTrn: writeRole, Policy: noDeletes }));
  const { Id } = await ok(session.call("CreateEndpoint", create));
  assert.is(errorCode(await session.call("DeleteEndpoint", { Id })), "AccessDenied");
  // A policy cannot widen the role: the read role's session stays read-only under "*".
  const everything = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*" }] });
  const read = withSession(emulator, await assume(emulator, { RoleTrn: readRole, Policy: everything }));
  assert.is(errorCode(await read.call("CreateEndpoint", create)), "AccessDenied");
});

test("a session expires after DurationSeconds by the emulator's clock", async ({ emulator, clock }) => {
  const session = withSession(emulator, await assume(emulator, { RoleTrn: readRole, DurationSeconds: 900 }));
  clock.now += 899_000;
  await ok(session.call("ListEndpoints", {}));
  clock.now += 1_000;
  const expired = await session.call("ListEndpoints", {});
  assert.is(errorCode(expired), "InvalidSecretToken");
  assert.match(expired.ResponseMetadata.Error?.Message ?? "", /expired at .*; assume the role again/);
});

test("DurationSeconds follows the documented bounds: under 900 or absent is 3600, over 43200 is 43200", async ({
  emulator,
}) => {
  const lasting = async (DurationSeconds?: number) => {
    const { Credentials } = await ok(
      Promise.resolve(
        assume(emulator, { RoleTrn: readRole, ...(DurationSeconds ? { DurationSeconds } : {}) }),
      ),
    );
    return (Date.parse(Credentials.ExpiredTime) - Date.parse(Credentials.CurrentTime)) / 1000;
  };
  assert.equal(
    [await lasting(), await lasting(60), await lasting(7200), await lasting(99_999)],
    [3600, 3600, 7200, 43_200],
  );
});

test("AssumeRole is refused to the main key, to a user without sts:AssumeRole, and for an untrusting or unknown role", async ({
  emulator,
}) => {
  const refusal = async (answer: Promise<ArkAnswer>) => {
    const error = (await answer).ResponseMetadata.Error;
    return `${error?.Code}: ${error?.Message}`;
  };
  assert.is(
    await refusal(assume(emulator, { RoleTrn: readRole }, { name: "main", ...testCredentials })),
    "AccessDenied: the account's main key is not allowed to perform sts:AssumeRole: a role is assumed with an IAM user's key.",
  );
  assert.is(
    await refusal(assume(emulator, { RoleTrn: readRole }, planner)),
    "AccessDenied: planner is not allowed to perform sts:AssumeRole.",
  );
  const unknown = "trn:iam::2100000001:role/nobody";
  assert.is(
    await refusal(assume(emulator, { RoleTrn: unknown })),
    `AccessDenied: deployer is not allowed to perform sts:AssumeRole on ${unknown}: no such role trusts it.`,
  );
  const users = {
    ...iam,
    users: [
      ...(iam.users ?? []),
      { name: "other", accessKey: "AKLTother", secretKey: "s", actions: ["sts:*"] },
    ],
  };
  const second = await startTestEmulator({ iam: users });
  try {
    const other = { name: "other", accessKey: "AKLTother", secretKey: "s" };
    assert.match(
      await refusal(assume(second, { RoleTrn: writeRole }, other)),
      /^AccessDenied: other .* no such role trusts it\.$/,
    );
    await ok(assume(second, { RoleTrn: readRole }, other));
  } finally {
    await second.close();
  }
});

test("malformed requests: a policy that does not parse, a missing session name, an unsigned call", async ({
  emulator,
}) => {
  const badPolicy = await assume(emulator, {
    RoleTrn: readRole,
    Policy: '{"Statement": [{"Effect": "Allow"}]}',
  });
  assert.equal(badPolicy.ResponseMetadata.Error?.Code, "InvalidParameter");
  assert.match(
    badPolicy.ResponseMetadata.Error?.Message ?? "",
    "The parameter Policy is invalid: Statement[0] needs an Action",
  );
  assert.is(
    errorCode(await assume(emulator, { RoleTrn: readRole, RoleSessionName: "" })),
    "MissingParameter",
  );
  const unsigned = await fetch(`${emulator.url}/?Action=AssumeRole&Version=2018-01-01&RoleTrn=${readRole}`);
  assert.equal(
    [unsigned.status, errorCode((await unsigned.json()) as ArkAnswer)],
    [401, "MissingAuthenticationToken"],
  );
  // Signed for Ark's scope (service ark, region cn-beijing) instead of STS's.
  const arkScoped = await sendSigned(
    emulator,
    "AssumeRole",
    {},
    { version: "2018-01-01", accessKeyId: deployer.accessKey, secretKey: deployer.secretKey },
  );
  assert.is(errorCode(arkScoped.body), "InvalidCredential");
});

test("an IAM user holds only its actions: reads pass, a DryRun create is AccessDenied, not DryRunOperation", async ({
  emulator,
}) => {
  const plan = arkClient(emulator, { accessKeyId: planner.accessKey, secretKey: planner.secretKey });
  await ok(plan.call("ListEndpoints", {}));
  const dryRun = await sendSigned(
    emulator,
    "CreateEndpoint",
    { ...create, DryRun: true },
    {
      accessKeyId: planner.accessKey,
      secretKey: planner.secretKey,
    },
  );
  assert.equal([dryRun.status, errorCode(dryRun.body)], [403, "AccessDenied"]);
  // The account's main key may do everything Ark offers.
  await ok(arkClient(emulator).call("CreateEndpoint", create));
});

async function assumeWithOidc(emulator: Emulator, params: Record<string, string>) {
  const response = await fetch(`${emulator.url}/?Action=AssumeRoleWithOIDC&Version=2018-01-01`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ RoleSessionName: "gha-7", ...params }).toString(),
  });
  return { status: response.status, body: (await response.json()) as ArkAnswer };
}

test("AssumeRoleWithOIDC: a token from a trusted provider gets a session; bad tokens and untrusting roles do not", async ({
  emulator,
  clock,
}) => {
  const token = idp.token(
    { sub: "repo:acme/models:environment:ark-sync-apply", aud: "sts.volcengineapi.com" },
    clock.now,
  );
  const granted = await assumeWithOidc(emulator, {
    RoleTrn: writeRole,
    OIDCToken: token,
    DurationSeconds: "1800",
  });
  assert.is(granted.status, 200, JSON.stringify(granted.body));
  const { Credentials, OIDCTokenInfo, AssumedRoleUser } = granted.body.Result;
  assert.is(Date.parse(Credentials.Expiration) - Date.parse(Credentials.CurrentTime), 1_800_000);
  assert.equal(OIDCTokenInfo.Subject, "repo:acme/models:environment:ark-sync-apply");
  assert.is(AssumedRoleUser.Trn, "trn:sts::2100000001:assumed-role/ark-sync-apply/gha-7");
  const { AccessKeyId, SecretAccessKey, SessionToken } = Credentials;
  await ok(
    arkClient(emulator, {
      accessKeyId: AccessKeyId,
      secretKey: SecretAccessKey,
      sessionToken: SessionToken,
    }).call("CreateEndpoint", create),
  );

  const refused = async (params: Record<string, string>) => {
    const { body } = await assumeWithOidc(emulator, params);
    return `${errorCode(body)}: ${body.ResponseMetadata.Error?.Message}`;
  };
  assert.is(
    await refused({ RoleTrn: readRole, OIDCToken: token }),
    `AccessDenied: The OIDC subject repo:acme/models:environment:ark-sync-apply of github is not allowed to perform sts:AssumeRoleWithOIDC on ${readRole}: no such role trusts that provider.`,
  );
  const otherAudience = idp.token({ sub: "x", aud: "sts.amazonaws.com" }, clock.now);
  assert.match(
    await refused({ RoleTrn: writeRole, OIDCToken: otherAudience }),
    "its audience is not one the OIDC provider accepts",
  );
  const stranger = testIdentityProvider().token({ sub: "x", aud: "sts.volcengineapi.com" }, clock.now);
  assert.match(await refused({ RoleTrn: writeRole, OIDCToken: stranger }), "its signature does not verify");
  clock.now += 3_600_000;
  assert.match(
    await refused({ RoleTrn: writeRole, OIDCToken: token }),
    "InvalidParameter: The parameter OIDCToken is invalid: it has expired.",
  );
  assert.not.match(await refused({ RoleTrn: writeRole, OIDCToken: `${token}x` }), token);
});

test.run();
