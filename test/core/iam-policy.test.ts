// Volcengine IAM policy documents as ark-sync reads them: wildcards, Allow and Deny, NotAction, and
// the problems a malformed VOLC_ROLE_POLICY is refused with.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  actionMatches,
  allowOnly,
  type IamPolicy,
  parseIamPolicy,
  parseIamPolicyText,
  policyAllows,
} from "../../src/core/iam-policy.js";

const matches: Array<[pattern: string, action: string, expected: boolean]> = [
  ["ark:ListEndpoints", "ark:ListEndpoints", true],
  ["ark:ListEndpoints", "ark:ListEndpointsX", false],
  ["ark:*", "ark:DeleteEndpoint", true],
  ["ark:*", "sts:AssumeRole", false],
  ["*", "sts:AssumeRole", true],
  ["ark:Get*", "ark:GetEndpoint", true],
  ["ark:Get*", "ark:GetEndpointRolling", true],
  ["ark:Get*", "ark:ListEndpoints", false],
  ["ark:*Endpoint", "ark:CreateEndpoint", true],
  ["ark:*Endpoint", "ark:CreateEndpointRolling", false],
  ["ark:?etEndpoint", "ark:GetEndpoint", true],
  ["ark:?etEndpoint", "ark:etEndpoint", false],
  ["ark:listendpoints", "ark:ListEndpoints", true],
  ["ark.*", "ark:ListEndpoints", false],
];

test("action patterns: * is any run, ? exactly one character, case ignored", () => {
  for (const [pattern, action, expected] of matches) {
    assert.is(actionMatches(pattern, action), expected, `${pattern} vs ${action}`);
  }
});

function policy(document: unknown): IamPolicy {
  const parsed = parseIamPolicy(document);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.policy;
}

const readOnly = policy({
  Statement: [{ Effect: "Allow", Action: ["ark:Get*", "ark:List*"], Resource: ["*"] }],
});
const allButDelete = policy({
  Statement: [
    { Effect: "Allow", Action: "ark:*" },
    { Effect: "Deny", Action: ["ark:DeleteEndpoint", "ark:StopEndpoint"] },
  ],
});
const notAction = policy({ Statement: [{ Effect: "Allow", NotAction: ["ark:Delete*"] }] });

const decisions: Array<[name: string, policy: IamPolicy, action: string, allowed: boolean]> = [
  ["read-only allows a read", readOnly, "ark:ListEndpoints", true],
  ["read-only refuses a write", readOnly, "ark:CreateEndpoint", false],
  ["read-only refuses another service", readOnly, "sts:AssumeRole", false],
  ["a Deny wins over an Allow", allButDelete, "ark:DeleteEndpoint", false],
  ["what no Deny names stays allowed", allButDelete, "ark:CreateEndpoint", true],
  ["NotAction allows what it does not name", notAction, "ark:UpdateEndpoint", true],
  ["NotAction leaves out what it names", notAction, "ark:DeleteEndpoint", false],
  ["nothing allowed without a statement", allowOnly([]), "ark:ListEndpoints", false],
  ["a list of actions", allowOnly(["ark:ListEndpoints"]), "ark:ListEndpoints", true],
];

test("policyAllows: some Allow covers the action and no Deny does", () => {
  for (const [name, candidate, action, allowed] of decisions) {
    assert.is(policyAllows(candidate, action), allowed, name);
  }
});

test("a policy as text: Action as one string or a list, Resource and Condition accepted", () => {
  const parsed = parseIamPolicyText(
    JSON.stringify({
      Version: "1",
      Statement: [
        {
          Effect: "Allow",
          Action: "ark:CreateEndpoint",
          Resource: "*",
          Condition: { StringEquals: { "volc:RequestedRegion": "cn-beijing" } },
        },
      ],
    }),
  );
  assert.ok(parsed.ok);
  if (parsed.ok)
    assert.equal(parsed.policy.statements, [{ effect: "Allow", actions: ["ark:CreateEndpoint"] }]);
});

test("malformed policies: every problem named by its element, the text never quoted", () => {
  const problems = (text: string) => {
    const parsed = parseIamPolicyText(text);
    return parsed.ok ? [] : parsed.problems;
  };
  assert.equal(problems('{"Statement": [{"Effect": "Allow", "Action": ["ark:List*"]}'), [
    "it is not valid JSON",
  ]);
  assert.equal(problems("[]"), ["it is not a JSON object"]);
  assert.equal(problems('{"Statement": []}'), ["Statement must be a non-empty array"]);
  assert.equal(
    problems(
      JSON.stringify({
        Statement: [
          { Effect: "allow", Action: "ark:ListEndpoints" },
          { Effect: "Deny" },
          { Effect: "Allow", Action: ["ListEndpoints"] },
          "Allow",
        ],
      }),
    ),
    [
      'Statement[0].Effect must be "Allow" or "Deny"',
      "Statement[1] needs an Action",
      'Statement[2].Action must be "*", or one or more "service:Action" names (wildcards * and ?)',
      "Statement[3] must be an object",
    ],
  );
});

test.run();
