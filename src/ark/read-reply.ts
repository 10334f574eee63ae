// One raw HTTP answer → Ark's Result, or an ArkApiError. The SDK never throws on an HTTP status, so
// this is where every answer is checked: an Error in ResponseMetadata (on any status), a body that is
// not Ark's envelope, or a bare HTTP error status.
import type { ArkAction } from "./actions.js";
import { ArkApiError, classifyArkCode } from "./errors.js";

/** What the transport got back: the HTTP status (when the HTTP client reports it) and the body text. */
export interface RawReply {
  status: number | undefined;
  text: string;
}

interface Envelope {
  ResponseMetadata: {
    RequestId?: unknown;
    Error?: { Code?: unknown; Message?: unknown } | null;
  };
  Result?: unknown;
}

/** Returns `Result` ({} when absent) or throws. `scrub` removes credentials from Ark's texts; `model`,
 * the model the request names, goes into the hints of errors about it. */
export function readReply(
  action: ArkAction,
  reply: RawReply,
  scrub: (text: string) => string,
  model?: string,
): unknown {
  const envelope = parseEnvelope(reply.text);
  if (!envelope) {
    const category = reply.status === 429 ? "throttled" : "server";
    const snippet = reply.text.replace(/\s+/g, " ").trim().slice(0, 120);
    throw new ArkApiError({
      category,
      action,
      arkCode: undefined,
      arkMessage: scrub(`answer is not Ark's JSON envelope${snippet ? `: ${snippet}` : " (empty body)"}`),
      requestId: undefined,
      httpStatus: reply.status,
    });
  }
  const metadata = envelope.ResponseMetadata;
  const requestId =
    typeof metadata.RequestId === "string" && metadata.RequestId ? metadata.RequestId : undefined;
  const failed = metadata.Error !== undefined && metadata.Error !== null;
  if (failed || (reply.status !== undefined && reply.status >= 400)) {
    const code =
      typeof metadata.Error?.Code === "string" && metadata.Error.Code ? metadata.Error.Code : undefined;
    const message = typeof metadata.Error?.Message === "string" ? metadata.Error.Message : "";
    throw new ArkApiError({
      category: classifyArkCode(code, reply.status),
      action,
      arkCode: code,
      arkMessage: scrub(message || "no message"),
      requestId,
      httpStatus: reply.status,
      ...(model === undefined ? {} : { model }),
    });
  }
  return envelope.Result ?? {};
}

function parseEnvelope(text: string): Envelope | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null) return undefined;
  const metadata = (body as { ResponseMetadata?: unknown }).ResponseMetadata;
  if (typeof metadata !== "object" || metadata === null) return undefined;
  return body as Envelope;
}
