// A local HTTP listener standing in for a chat webhook: records every POST body, and answers with the
// statuses the test scripts (200 once the script runs out).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookListener {
  /** `http://127.0.0.1:PORT/hook/SECRET-TOKEN`: the path stands for a webhook's secret. */
  url: string;
  /** Every request body, parsed as JSON, in order of arrival. */
  bodies: unknown[];
  close(): Promise<void>;
}

export async function startWebhookListener(statuses: number[] = []): Promise<WebhookListener> {
  const bodies: unknown[] = [];
  const script = [...statuses];
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      bodies.push(JSON.parse(text));
      response.writeHead(script.shift() ?? 200, { "content-type": "application/json" });
      response.end('{"code":0}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/s3cr3t-T0KEN-do-not-print`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
