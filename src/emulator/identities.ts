// Who may call the emulator and what each caller may call (docs/emulator.md, Identities and
// permissions): the account's main key (every Ark action), IAM users (the actions listed), and the
// sessions STS issues for roles (the role's actions, narrowed by the session's inline policy), which
// expire by the emulator's clock.
import { createPublicKey, type KeyObject, randomBytes } from "node:crypto";
import { ArkSyncError } from "../core/errors.js";
import { allowOnly, type IamPolicy, parseIamPolicy, policyAllows } from "../core/iam-policy.js";
import type { AcceptedCredentials } from "./verify-signature.js";

/** An IAM user's access key, allowed only the listed actions (`ark:ListEndpoints`, `ark:Get*`, `sts:AssumeRole`…). */
export interface EmulatorUser {
  name: string;
  accessKey: string;
  secretKey: string;
  actions: string[];
}

/** A role STS issues sessions for. */
export interface EmulatorRole {
  /** `trn:iam::<account id>:role/<name>` */
  trn: string;
  actions: string[];
  /** Users who may assume it (AssumeRole); default: every user whose own actions allow sts:AssumeRole. */
  trustedUsers?: string[];
  /** OIDC providers (by name) whose tokens may assume it (AssumeRoleWithOIDC); default none. */
  trustedOidcProviders?: string[];
}

/** An OIDC identity provider, as IAM's CreateOIDCProvider registers one. */
export interface EmulatorOidcProvider {
  name: string;
  /** The tokens' `iss`. */
  issuer: string;
  /** Accepted `aud` values (CreateOIDCProvider's ClientIDs). */
  audiences: string[];
  /** The PEM public key that verifies the tokens' RS256 signature (Ark's STS fetches the issuer's keys). */
  publicKey: string;
}

export interface EmulatorIam {
  users?: EmulatorUser[];
  roles?: EmulatorRole[];
  oidcProviders?: EmulatorOidcProvider[];
}

/** A caller the signature check found. */
export interface Principal extends AcceptedCredentials {
  kind: "account" | "user" | "session";
  /** How messages name it: a user's name or an assumed-role TRN, never a key. */
  name: string;
  allows(action: string): boolean;
}

export interface SessionCredentials {
  accessKey: string;
  secretKey: string;
  sessionToken: string;
  expiresAt: number;
  /** `trn:sts::<account>:assumed-role/<role>/<session>` */
  assumedRoleTrn: string;
  assumedRoleId: string;
}

interface ResolvedProvider extends Omit<EmulatorOidcProvider, "publicKey"> {
  publicKey: KeyObject;
}

const roleTrnPattern = /^trn:iam::(\d+):role\/([\w+=,.@-]+)$/;

export class IdentityStore {
  private readonly principals = new Map<string, Principal>();
  private readonly roles = new Map<string, EmulatorRole>();
  private readonly providers = new Map<string, ResolvedProvider>();

  constructor(account: AcceptedCredentials, iam: EmulatorIam) {
    this.add({ ...account, kind: "account", name: "the account's main key", allows: () => true });
    for (const user of iam.users ?? []) {
      const policy = actionPolicy(user.actions, `user ${user.name}`);
      if (!user.name || !user.accessKey || !user.secretKey) {
        throw badIam("every user needs a name, an access key and a secret key");
      }
      if ([...this.principals.values()].some((p) => p.kind === "user" && p.name === user.name)) {
        throw badIam(`the user name ${user.name} is used twice`);
      }
      const { name, accessKey, secretKey } = user;
      this.add({
        kind: "user",
        name,
        accessKey,
        secretKey,
        allows: (action) => policyAllows(policy, action),
      });
    }
    for (const provider of iam.oidcProviders ?? []) {
      if (!provider.name || !provider.issuer || provider.audiences.length === 0) {
        throw badIam("every OIDC provider needs a name, an issuer and at least one audience");
      }
      this.providers.set(provider.name, { ...provider, publicKey: readPublicKey(provider) });
    }
    for (const role of iam.roles ?? []) {
      if (!roleTrnPattern.test(role.trn)) {
        throw badIam(`the role ${role.trn} is not a role TRN (trn:iam::<account id>:role/<name>)`);
      }
      actionPolicy(role.actions, `role ${role.trn}`);
      for (const user of role.trustedUsers ?? []) {
        if (![...this.principals.values()].some((p) => p.kind === "user" && p.name === user)) {
          throw badIam(`the role ${role.trn} trusts the user ${user}, who is not configured`);
        }
      }
      for (const name of role.trustedOidcProviders ?? []) {
        if (!this.providers.has(name)) {
          throw badIam(`the role ${role.trn} trusts the OIDC provider ${name}, which is not configured`);
        }
      }
      this.roles.set(role.trn, role);
    }
  }

  /** The caller with this access key; a session is found after it expired, so its expiry can be said. */
  find(accessKey: string): Principal | undefined {
    return this.principals.get(accessKey);
  }

  role(trn: string): EmulatorRole | undefined {
    return this.roles.get(trn);
  }

  provider(issuer: string): ResolvedProvider | undefined {
    return [...this.providers.values()].find((provider) => provider.issuer === issuer);
  }

  /** New temporary keys for the role, allowed its actions and, with `policy`, only what that allows too. */
  issueSession(
    role: EmulatorRole,
    session: { name: string; durationSeconds: number; policy: IamPolicy | undefined },
    now: number,
  ): SessionCredentials {
    const [, account, roleName] = roleTrnPattern.exec(role.trn) ?? [];
    const rolePolicy = allowOnly(role.actions);
    const narrowing = session.policy;
    const credentials: SessionCredentials = {
      // The shapes the Node SDK's own STS2 tokens have: AKTP… keys, STS2… tokens.
      accessKey: `AKTP${randomBytes(24).toString("base64url")}`,
      secretKey: randomBytes(30).toString("base64"),
      sessionToken: `STS2${randomBytes(96).toString("base64url")}`,
      expiresAt: now + session.durationSeconds * 1000,
      assumedRoleTrn: `trn:sts::${account}:assumed-role/${roleName}/${session.name}`,
      assumedRoleId: `${randomBytes(8).toString("hex")}:${session.name}`,
    };
    this.add({
      kind: "session",
      name: credentials.assumedRoleTrn,
      accessKey: credentials.accessKey,
      secretKey: credentials.secretKey,
      sessionToken: credentials.sessionToken,
      expiresAt: credentials.expiresAt,
      allows: (action) =>
        policyAllows(rolePolicy, action) && (narrowing === undefined || policyAllows(narrowing, action)),
    });
    return credentials;
  }

  private add(principal: Principal): void {
    if (this.principals.has(principal.accessKey)) {
      throw badIam("an access key is configured twice");
    }
    this.principals.set(principal.accessKey, principal);
  }
}

function actionPolicy(actions: string[], owner: string): IamPolicy {
  if (actions.length === 0) return allowOnly([]);
  const parsed = parseIamPolicy({ Statement: [{ Effect: "Allow", Action: actions }] });
  if (!parsed.ok) throw badIam(`the actions of ${owner} are not "service:Action" patterns`);
  return parsed.policy;
}

function readPublicKey(provider: EmulatorOidcProvider): KeyObject {
  try {
    return createPublicKey(provider.publicKey);
  } catch {
    throw badIam(`the public key of the OIDC provider ${provider.name} is not a PEM public key`);
  }
}

function badIam(reason: string): ArkSyncError {
  return new ArkSyncError(
    "usage",
    "emulator_bad_option",
    `The emulator's identities are unusable: ${reason}.`,
  );
}
