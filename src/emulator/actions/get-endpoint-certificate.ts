// GetEndpointCertificate: fake PCA certificates (PEM-shaped, not real X.509) valid for a year from
// the endpoint's creation.
import { type JsonObject, readString, rejectUnknownKeys } from "../request-params.js";
import type { ActionContext, ActionOutcome } from "./action-context.js";
import { requireEndpoint } from "./endpoint-params.js";

const yearSeconds = 365 * 24 * 60 * 60;

export function getEndpointCertificate(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id", "Type"]);
  readString(params, "Type");
  const endpoint = requireEndpoint(params, context.store);
  const notBefore = Math.floor(Date.parse(endpoint.CreateTime) / 1000);
  return {
    result: {
      PCAName: "ark-emulator-pca",
      PCAHost: "pca.ark-emulator.invalid",
      PCAInstanceCertificate: fakePem(`ark-emulator instance certificate for ${endpoint.Id}`),
      PCASubCACertificate: fakePem("ark-emulator sub CA certificate"),
      PCARootCACertificate: fakePem("ark-emulator root CA certificate"),
      NotBefore: notBefore,
      NotAfter: notBefore + yearSeconds,
    },
    changed: false,
  };
}

function fakePem(text: string): string {
  const base64 = Buffer.from(text, "utf8").toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
