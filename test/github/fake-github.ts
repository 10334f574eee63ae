// A local fake of the parts of GitHub's API that `ark-sync comment` uses, over real HTTP on
// 127.0.0.1: issue comments per pull request with authors, pagination by Link header, GET /user,
// GraphQL `nodes(ids:)` with isMinimized / viewerDidAuthor, the pull requests a commit belongs to
// (`commits/{sha}/pulls`), and answers injected on demand (rate limits, errors). Every request is
// recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUser {
  login: string;
  type: "User" | "Bot";
}

export interface FakeToken {
  user: FakeUser;
  /** An installation token (GITHUB_TOKEN): GET /user answers 403. */
  installation?: boolean;
  /** A read-only token (fork pull requests): writes answer 403. */
  readOnly?: boolean;
}

export interface FakeComment {
  id: number;
  node_id: string;
  body: string;
  user: FakeUser;
  minimized: boolean;
  issue: number;
}

/** A pull request: its head commits, and once merged the commit it was merged as. */
export interface FakePullRequest {
  number: number;
  commits: string[];
  mergeCommitSha: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface InjectedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export const ACTIONS_BOT: FakeUser = { login: "github-actions[bot]", type: "Bot" };

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments: FakeComment[] = [];
  readonly pullRequests: FakePullRequest[] = [];
  readonly tokens = new Map<string, FakeToken>();
  /** Answers given instead of the real one, in order, to requests whose "METHOD path" matches. */
  private readonly injected: { pattern: RegExp; answer: InjectedAnswer }[] = [];
  private server: Server | null = null;
  private nextId = 1000;
  owner = "acme";
  repo = "infra";
  url = "";

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  addComment(issue: number, user: FakeUser, body: string, minimized = false): FakeComment {
    const id = this.nextId++;
    const comment = { id, node_id: `IC_${id}`, body, user, minimized, issue };
    this.comments.push(comment);
    return comment;
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((comment) => comment.issue === issue);
  }

  inject(pattern: RegExp, ...answers: InjectedAnswer[]): void {
    for (const answer of answers) this.injected.push({ pattern, answer });
  }

  requestsMatching(pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => pattern.test(`${request.method} ${request.path}`));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const url = new URL(request.url ?? "/", this.url);
    const method = request.method ?? "GET";
    const authorization = request.headers.authorization;
    this.requests.push({ method, path: url.pathname + url.search, authorization, body });

    const key = `${method} ${url.pathname}`;
    const injectedAt = this.injected.findIndex(({ pattern }) => pattern.test(key));
    if (injectedAt >= 0) {
      const answer = this.injected.splice(injectedAt, 1)[0]?.answer as InjectedAnswer;
      return send(response, answer.status, answer.body ?? {}, answer.headers);
    }

    const token = this.tokens.get((authorization ?? "").replace(/^Bearer /, ""));
    if (!token) return send(response, 401, { message: "Bad credentials" });

    if (method === "GET" && url.pathname === "/user") {
      if (token.installation)
        return send(response, 403, { message: "Resource not accessible by integration" });
      return send(response, 200, { login: token.user.login, type: token.user.type, id: 1 });
    }
    if (method === "POST" && url.pathname === "/graphql") return this.graphql(response, token, body);

    const pulls = new RegExp(`^/repos/${this.owner}/${this.repo}/commits/([0-9a-f]+)/pulls$`).exec(
      url.pathname,
    );
    if (pulls && method === "GET") return this.pullsOf(response, pulls[1] ?? "");

    const base = `/repos/${this.owner}/${this.repo}/issues`;
    const list = new RegExp(`^${escapeRegExp(base)}/(\\d+)/comments$`).exec(url.pathname);
    if (list) {
      const issue = Number(list[1]);
      if (method === "GET") return this.listComments(response, url, issue);
      if (method === "POST") {
        if (token.readOnly) return send(response, 403, { message: "Resource not accessible by integration" });
        const text = String((JSON.parse(body) as { body?: unknown }).body ?? "");
        if (text.length > 65_536) return tooLong(response);
        const comment = this.addComment(issue, token.user, text);
        return send(response, 201, this.toRest(comment));
      }
    }
    const one = new RegExp(`^${escapeRegExp(base)}/comments/(\\d+)$`).exec(url.pathname);
    if (one && method === "PATCH") {
      const comment = this.comments.find((c) => c.id === Number(one[1]));
      if (!comment) return send(response, 404, { message: "Not Found" });
      if (token.readOnly || comment.user.login !== token.user.login) {
        return send(response, 403, { message: "Resource not accessible by integration" });
      }
      const text = String((JSON.parse(body) as { body?: unknown }).body ?? "");
      if (text.length > 65_536) return tooLong(response);
      comment.body = text;
      return send(response, 200, this.toRest(comment));
    }
    return send(response, 404, { message: "Not Found" });
  }

  private listComments(response: ServerResponse, url: URL, issue: number): void {
    const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
    const page = Number(url.searchParams.get("page") ?? 1);
    const all = this.commentsOn(issue);
    const items = all.slice((page - 1) * perPage, page * perPage).map((comment) => this.toRest(comment));
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      const next = new URL(url.href);
      next.searchParams.set("page", String(page + 1));
      const last = new URL(url.href);
      last.searchParams.set("page", String(Math.ceil(all.length / perPage)));
      headers.link = `<${next.href}>; rel="next", <${last.href}>; rel="last"`;
    }
    send(response, 200, items, headers);
  }

  /** Like GitHub: the pull request merged as the commit, or those whose head includes it. */
  private pullsOf(response: ServerResponse, sha: string): void {
    const items = this.pullRequests
      .filter((pr) => pr.mergeCommitSha === sha || pr.commits.includes(sha))
      .map((pr) => ({
        number: pr.number,
        state: pr.mergeCommitSha ? "closed" : "open",
        html_url: `https://github.test/${this.owner}/${this.repo}/pull/${pr.number}`,
        merged_at: pr.mergeCommitSha ? "2026-01-01T00:00:00Z" : null,
        merge_commit_sha: pr.mergeCommitSha,
      }));
    send(response, 200, items);
  }

  private graphql(response: ServerResponse, token: FakeToken, body: string): void {
    const { query, variables } = JSON.parse(body) as { query: string; variables: { ids?: string[] } };
    if (!query.includes("nodes(ids:")) {
      send(response, 200, { errors: [{ message: "unknown query" }] });
      return;
    }
    const nodes = (variables.ids ?? []).map((id) => {
      const comment = this.comments.find((c) => c.node_id === id);
      if (!comment) return null;
      return { id, isMinimized: comment.minimized, viewerDidAuthor: comment.user.login === token.user.login };
    });
    send(response, 200, { data: { nodes } });
  }

  private toRest(comment: FakeComment) {
    return {
      id: comment.id,
      node_id: comment.node_id,
      body: comment.body,
      user: { login: comment.user.login, type: comment.user.type },
      html_url: `https://github.test/${this.owner}/${this.repo}/pull/${comment.issue}#issuecomment-${comment.id}`,
    };
  }
}

function tooLong(response: ServerResponse): void {
  send(response, 422, {
    message: "Validation Failed",
    errors: [
      {
        resource: "IssueComment",
        code: "custom",
        field: "body",
        message: "Body is too long (maximum is 65536 characters)",
      },
    ],
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
