// The watcher's HTTP server (`--listen HOST:PORT`): GET /healthz and GET /metrics, nothing else.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ArkSyncError } from "../core/errors.js";
import type { WatchHealth } from "../core/watch-health.js";

export interface WatchServerHandlers {
  health(): WatchHealth;
  metrics(): Promise<{ contentType: string; text: string }>;
}

export interface WatchServer {
  /** `http://HOST:PORT`, with the port bound (when 0 was asked for). */
  url: string;
  close(): Promise<void>;
}

export async function startWatchServer(
  listen: { host: string; port: number },
  handlers: WatchServerHandlers,
): Promise<WatchServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz") {
      const { healthy, reason } = handlers.health();
      response.writeHead(healthy ? 200 : 503, { "content-type": "text/plain; charset=utf-8" });
      response.end(`${healthy ? "ok" : "unhealthy"}: ${reason}\n`);
      return;
    }
    if (path === "/metrics") {
      handlers.metrics().then(
        ({ contentType, text }) => response.writeHead(200, { "content-type": contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
  });
  // A probe that keeps its connection open must not hold the shutdown up.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new ArkSyncError(
          "usage",
          "watch_listen_failed",
          `Cannot listen on ${listen.host}:${listen.port}: ${error.message}`,
          {
            hint: "Give --listen a free HOST:PORT (port 0 picks one).",
          },
        ),
      ),
    );
    server.listen(listen.port, listen.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
