// `ark-sync doctor` (docs/commands.md#doctor): asks a real account what docs/ark-api.md assumes, with
// reads and one DryRun only, and judges each answer. The client it is given can do nothing else:
// `readRaw` takes read actions only, and `dryRunCreateEndpoint` always sends `DryRun: true`.
import { randomUUID } from "node:crypto";
import type { DoctorCheck } from "../../core/doctor-report.js";
import type { EndpointAttributes } from "../../core/types.js";
import type { ArkClient } from "../client.js";
import { toLiveEndpoint } from "../mapping.js";
import { type Answer, attempt } from "./answer.js";
import { skipped } from "./check-rows.js";
import { credentialsUnavailable, type Destination, judgeConnection } from "./judge-connection.js";
import { type DryRunAnswer, dryRunChecks, judgeDryRun } from "./judge-dry-run.js";
import { endpointChecks, judgeEndpoint, memberChecks, rollingChecks } from "./judge-endpoint.js";
import { judgeLists, type ListedEndpoint, listChecks, listedEndpoints } from "./judge-lists.js";

export type { Destination } from "./judge-connection.js";

/** All a doctor may ask of Ark. */
export type DoctorClient = Pick<ArkClient, "readRaw" | "dryRunCreateEndpoint">;

/** What the directory gives the checks to work on. */
export interface DoctorSubjects {
  /** The projects the manifests and state name, `default` included. */
  projects: readonly string[];
  /** The endpoints the state records: the one GetEndpoint reads is one of them when any is listed. */
  recordedIds: ReadonlySet<string>;
  /** The create to DryRun: the first manifest's endpoint; else one with a listed endpoint's model. */
  create: { address: string; attributes: EndpointAttributes; file: string } | undefined;
  /** The state's lineage, for the DryRun's `ark-sync:state` tag. */
  lineage: string | undefined;
}

/** No endpoint has this id: the pattern of docs/ark-api.md, assumption 7. */
export const UNKNOWN_ENDPOINT_ID = "ep-20250101000000-nope0";
const NO_LINEAGE = "00000000-0000-0000-0000-000000000000";
const firstPage = { SortBy: "CreateTime", SortOrder: "Asc", PageNumber: 1, PageSize: 100 };

/** Every check, in order; `connect` makes the client (and may fail: no credentials, a role refused). */
export async function checkAccount(
  connect: () => Promise<DoctorClient>,
  subjects: DoctorSubjects,
  where: Destination,
): Promise<DoctorCheck[]> {
  let client: DoctorClient;
  try {
    client = await connect();
  } catch (error) {
    return [
      ...credentialsUnavailable(error, where),
      ...skipAfterConnection("not checked: Credentials failed"),
    ];
  }
  const withoutProject = await attempt(() => client.readRaw("ListEndpoints", firstPage));
  const connection = judgeConnection(withoutProject, where);
  if (!connection.reached) {
    const failed = connection.rows.find((check) => check.status === "fail")?.check ?? "the connection";
    return [...connection.rows, ...skipAfterConnection(`not checked: ${failed} failed`)];
  }
  const byProject: { project: string; answer: Answer }[] = [];
  for (const project of subjects.projects) {
    const answer = await attempt(() =>
      client.readRaw("ListEndpoints", { ...firstPage, ProjectName: project }),
    );
    byProject.push({ project, answer });
  }
  const listed = [withoutProject, ...byProject.map(({ answer }) => answer)].flatMap(listedEndpoints);
  const sampled = listed.find((endpoint) => subjects.recordedIds.has(endpoint.id)) ?? listed[0];
  const switching = listed.find(
    (endpoint) => typeof endpoint.item.RollingId === "string" && endpoint.item.RollingId !== "",
  );
  const get = (id: string) => attempt(() => client.readRaw("GetEndpoint", { Id: id }));
  const endpointAnswers = {
    sample: sampled && { id: sampled.id, answer: await get(sampled.id) },
    unknownId: { id: UNKNOWN_ENDPOINT_ID, answer: await get(UNKNOWN_ENDPOINT_ID) },
    rolling: switching && {
      id: String(switching.item.RollingId),
      endpointId: switching.id,
      answer: await attempt(() => client.readRaw("GetEndpointRolling", { Id: switching.item.RollingId })),
    },
    listItemsHaveScaleTier: listed.some((endpoint) => "ScaleTierId" in endpoint.item),
  };
  return [
    ...connection.rows,
    ...judgeLists({ withoutProject, byProject }),
    ...judgeEndpoint(endpointAnswers),
    ...judgeDryRun(await dryRunCreate(client, subjects, listed)),
  ];
}

function skipAfterConnection(why: string): DoctorCheck[] {
  return [
    ...skipped(listChecks, why),
    ...skipped(endpointChecks, why),
    ...skipped(memberChecks, why),
    ...skipped(rollingChecks, why),
    ...skipped(dryRunChecks, why),
  ];
}

/** A DryRun CreateEndpoint of the first manifest's endpoint, or of one with a listed endpoint's model. */
async function dryRunCreate(
  client: DoctorClient,
  subjects: DoctorSubjects,
  listed: readonly ListedEndpoint[],
): Promise<DryRunAnswer | undefined> {
  const create = subjects.create ?? likeListed(listed);
  if (create === undefined) return undefined;
  const owner = { address: create.address, state: subjects.lineage ?? NO_LINEAGE };
  return {
    subject: `${create.address}, as ${create.file} sets it`,
    // The DryRun marker (docs/ark-api.md#dryrun): an Ark that carried it out is cleaned up and named.
    answer: await attempt(() => client.dryRunCreateEndpoint(create.attributes, owner, randomUUID())),
  };
}

/** An endpoint named ark-sync-doctor with the model of the first listed endpoint that names one. */
function likeListed(listed: readonly ListedEndpoint[]): DoctorSubjects["create"] {
  for (const endpoint of listed) {
    const model = toLiveEndpoint(endpoint.item).attributes.model_reference;
    if (model === undefined) continue;
    const attributes = { name: "ark-sync-doctor", project_name: endpoint.project, model_reference: model };
    return {
      address: `${endpoint.project}/ark-sync-doctor`,
      attributes,
      file: `the model of ${endpoint.id}`,
    };
  }
  return undefined;
}
