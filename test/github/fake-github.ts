// A local fake of the parts of GitHub's API that `ark-sync comment` uses, over real HTTP on
// 127.0.0.1: issue comments per pull request with authors, pagination by Link header, GET /user,
// GraphQL `nodes(ids:)` with isMinimized / viewerDidAuthor (or without the nodes), the repository's
// labels and each pull request's, the pull requests a commit belongs to (`commits/{sha}/pulls`), each
// pull request with its head, author and reviews, the recently closed ones, every comment's edit
// history (GraphQL `userContentEdits`, `lastEditedAt`, `editor`) on a clock that ticks a minute per
// change, the repository's default branch, branches and their active rules (`rules/branches/{branch}`),
// and answers injected on demand (rate limits, errors). Every request is recorded.
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
  /** A token that may comment but not label (no `issues: write`): label writes answer 403. */
  cannotLabel?: boolean;
}

export interface FakeLabel {
  name: string;
  color: string;
  description: string | null;
}

export interface FakeComment {
  id: number;
  node_id: string;
  body: string;
  user: FakeUser;
  minimized: boolean;
  issue: number;
  createdAt: string;
  /** Every edit after the comment was posted, oldest first. */
  edits: { editor: FakeUser; at: string }[];
}

/** A pull request: its head commits (the last is its head), and once merged the commit it was merged as. */
export interface FakePullRequest {
  number: number;
  commits: string[];
  mergeCommitSha: string | null;
  author?: FakeUser;
  reviews?: FakeReview[];
}

export interface FakeReview {
  user: FakeUser;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  submittedAt: string;
}

export const PR_AUTHOR: FakeUser = { login: "alice", type: "User" };

/** An active rule as GitHub lists it for a branch, without its ruleset's id and source (the fake adds them). */
export interface FakeRule {
  type: string;
  parameters?: Record<string, unknown>;
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
  /** The repository's labels. */
  readonly labels: FakeLabel[] = [];
  /** Label names on each pull request, by number (each one of `labels`). */
  readonly issueLabels = new Map<number, string[]>();
  readonly pullRequests: FakePullRequest[] = [];
  readonly tokens = new Map<string, FakeToken>();
  /** How GraphQL `nodes(ids:)` answers: every node, an empty list, or null for each id. */
  graphqlNodes: "all" | "empty" | "nulls" = "all";
  /** Answers given instead of the real one, in order, to requests whose "METHOD path" matches. */
  private readonly injected: { pattern: RegExp; answer: InjectedAnswer }[] = [];
  private server: Server | null = null;
  private nextId = 1000;
  private minutes = 0;
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
    const comment = {
      id,
      node_id: `IC_${id}`,
      body,
      user,
      minimized,
      issue,
      createdAt: this.tick(),
      edits: [],
    };
    this.comments.push(comment);
    return comment;
  }

  /** Edits a comment as `editor` (anyone with write access may edit any comment on GitHub). */
  editComment(comment: FakeComment, editor: FakeUser, body: string): void {
    comment.body = body;
    comment.edits.push({ editor, at: this.tick() });
  }

  /** A review of a pull request, submitted now. */
  review(number: number, user: FakeUser, state: FakeReview["state"] = "APPROVED"): void {
    const pr = this.pullRequests.find((p) => p.number === number);
    if (!pr) throw new Error(`no pull request #${number}`);
    pr.reviews = [...(pr.reviews ?? []), { user, state, submittedAt: this.tick() }];
  }

  /** The fake's clock: a minute later at every change, so "after" is always strict. */
  tick(): string {
    this.minutes += 1;
    return new Date(Date.UTC(2026, 0, 1, 0, this.minutes)).toISOString();
  }

  /** Adds labels to a pull request as GitHub does: one the repository lacks is created, grey. */
  addLabels(issue: number, ...names: string[]): void {
    const current = this.labelsOn(issue);
    for (const name of names) {
      const label = this.findLabel(name) ?? { name, color: "ededed", description: null };
      if (!this.labels.includes(label)) this.labels.push(label);
      if (!current.some((n) => sameName(n, name))) current.push(label.name);
    }
    this.issueLabels.set(issue, current);
  }

  /** The label names on a pull request. */
  labelsOn(issue: number): string[] {
    return this.issueLabels.get(issue) ?? [];
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

    const labelAnswer = this.handleLabels(method, url, body, token);
    if (labelAnswer) return send(response, labelAnswer.status, labelAnswer.body, labelAnswer.headers);
    const rulesAnswer = this.handleRepositoryRules(method, url);
    if (rulesAnswer) return send(response, rulesAnswer.status, rulesAnswer.body, rulesAnswer.headers);
    const pulls = new RegExp(`^/repos/${this.owner}/${this.repo}/commits/([0-9a-f]+)/pulls$`).exec(
      url.pathname,
    );
    if (pulls && method === "GET") return this.pullsOf(response, pulls[1] ?? "");
    const pullAnswer = method === "GET" ? this.handlePullRequests(url) : null;
    if (pullAnswer) return send(response, pullAnswer.status, pullAnswer.body, pullAnswer.headers);

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
      this.editComment(comment, token.user, text);
      return send(response, 200, this.toRest(comment));
    }
    return send(response, 404, { message: "Not Found" });
  }

  private listComments(response: ServerResponse, url: URL, issue: number): void {
    const { status, body, headers } = page(
      url,
      this.commentsOn(issue).map((comment) => this.toRest(comment)),
    );
    send(response, status, body, headers);
  }

  /** The label endpoints, or null for any other request. Names match case-insensitively, as on GitHub. */
  private handleLabels(method: string, url: URL, body: string, token: FakeToken): InjectedAnswer | null {
    const repoBase = `/repos/${this.owner}/${this.repo}`;
    const forbidden = { status: 403, body: { message: "Resource not accessible by integration" } };
    const writable = method === "GET" || !(token.readOnly || token.cannotLabel);
    if (url.pathname === `${repoBase}/labels`) {
      if (method === "GET") return page(url, this.labels);
      if (method !== "POST") return null;
      if (!writable) return forbidden;
      const { name, color, description } = JSON.parse(body) as Partial<FakeLabel>;
      if (typeof name !== "string" || !/^[0-9a-f]{6}$/i.test(color ?? "")) {
        return { status: 422, body: { message: "Validation Failed" } };
      }
      if (this.findLabel(name)) {
        return {
          status: 422,
          body: { message: "Validation Failed", errors: [{ resource: "Label", code: "already_exists" }] },
        };
      }
      const label = { name, color: color as string, description: description ?? null };
      this.labels.push(label);
      return { status: 201, body: label };
    }
    const onIssue = new RegExp(`^${escapeRegExp(repoBase)}/issues/(\\d+)/labels(?:/([^/]+))?$`).exec(
      url.pathname,
    );
    if (!onIssue) return null;
    const issue = Number(onIssue[1]);
    const named = onIssue[2];
    const current = this.labelsOn(issue);
    const asList = () =>
      page(
        url,
        this.labelsOn(issue).map((name) => this.findLabel(name)),
      );
    if (named === undefined && method === "GET") return asList();
    if (!writable) return forbidden;
    if (named === undefined && method === "POST") {
      this.addLabels(issue, ...(JSON.parse(body) as { labels: string[] }).labels);
      return asList();
    }
    if (named !== undefined && method === "DELETE") {
      const name = decodeURIComponent(named);
      if (!current.some((n) => sameName(n, name))) {
        return { status: 404, body: { message: "Label does not exist" } };
      }
      this.issueLabels.set(
        issue,
        current.filter((n) => !sameName(n, name)),
      );
      return asList();
    }
    return null;
  }

  /** `pulls/{n}`, `pulls/{n}/reviews` and the closed pull requests, or null for any other request. */
  private handlePullRequests(url: URL): InjectedAnswer | null {
    const base = `/repos/${this.owner}/${this.repo}/pulls`;
    if (url.pathname === base && url.searchParams.get("state") === "closed") {
      // Most recently merged first, as `sort=updated&direction=desc` lists them after a merge.
      const closed = this.pullRequests.filter((pr) => pr.mergeCommitSha !== null).reverse();
      return page(
        url,
        closed.map((pr) => this.toPullRequest(pr)),
      );
    }
    const match = new RegExp(`^${escapeRegExp(base)}/(\\d+)(/reviews)?$`).exec(url.pathname);
    const pr = match ? this.pullRequests.find((p) => p.number === Number(match[1])) : undefined;
    if (!match) return null;
    if (!pr) return { status: 404, body: { message: "Not Found" } };
    if (match[2] === undefined) return { status: 200, body: this.toPullRequest(pr) };
    return page(
      url,
      (pr.reviews ?? []).map((review, i) => ({
        id: i + 1,
        user: { login: review.user.login, type: review.user.type },
        state: review.state,
        submitted_at: review.submittedAt,
      })),
    );
  }

  private toPullRequest(pr: FakePullRequest) {
    const author = pr.author ?? PR_AUTHOR;
    return {
      number: pr.number,
      state: pr.mergeCommitSha ? "closed" : "open",
      user: { login: author.login, type: author.type },
      head: { sha: pr.commits[pr.commits.length - 1] },
      merged_at: pr.mergeCommitSha ? "2026-01-01T00:00:00Z" : null,
      merge_commit_sha: pr.mergeCommitSha,
    };
  }

  private findLabel(name: string): FakeLabel | undefined {
    return this.labels.find((label) => sameName(label.name, name));
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
    if (this.graphqlNodes === "empty") {
      send(response, 200, { data: { nodes: [] } });
      return;
    }
    const nodes = (variables.ids ?? []).map((id) => {
      const comment = this.comments.find((c) => c.node_id === id);
      if (!comment || this.graphqlNodes === "nulls") return null;
      const last = comment.edits[comment.edits.length - 1];
      // Like GitHub, an edited comment's history starts with the original, by its author; newest first.
      const history =
        comment.edits.length === 0 ? [] : [{ editor: comment.user, at: comment.createdAt }, ...comment.edits];
      return {
        id,
        isMinimized: comment.minimized,
        viewerDidAuthor: comment.user.login === token.user.login,
        createdAt: comment.createdAt,
        lastEditedAt: last?.at ?? null,
        editor: last ? graphqlActor(last.editor) : null,
        userContentEdits: {
          totalCount: history.length,
          nodes: history.reverse().map((edit) => ({ editedAt: edit.at, editor: graphqlActor(edit.editor) })),
        },
      };
    });
    send(response, 200, { data: { nodes } });
  }

  // --- Repository rules: the default branch, branches and their active rules ----------------------

  /** What GET /repos/{owner}/{repo} names as `default_branch`. */
  defaultBranch = "main";
  /** The branches that exist, with GitHub's `protected` flag; GET branches/{branch} answers 404 for others. */
  readonly branches = new Map<string, { protected: boolean }>([["main", { protected: false }]]);
  /** Each branch's active rules; a branch not here has none (GitHub answers an empty list). */
  readonly branchRules = new Map<string, FakeRule[]>();

  /** GET /repos/{owner}/{repo}, GET …/branches/{branch} and GET …/rules/branches/{branch} (paginated), or null. */
  private handleRepositoryRules(method: string, url: URL): InjectedAnswer | null {
    const repoBase = `/repos/${this.owner}/${this.repo}`;
    if (method !== "GET") return null;
    if (url.pathname === repoBase) {
      return {
        status: 200,
        body: { full_name: `${this.owner}/${this.repo}`, default_branch: this.defaultBranch },
      };
    }
    const rules = new RegExp(`^${escapeRegExp(repoBase)}/rules/branches/([^/]+)$`).exec(url.pathname);
    if (rules) {
      const branch = decodeURIComponent(rules[1] ?? "");
      const listed = (this.branchRules.get(branch) ?? []).map((rule, i) => ({
        ...rule,
        ruleset_source_type: "Repository",
        ruleset_source: `${this.owner}/${this.repo}`,
        ruleset_id: 100 + i,
      }));
      return page(url, listed);
    }
    const branch = new RegExp(`^${escapeRegExp(repoBase)}/branches/([^/]+)$`).exec(url.pathname);
    if (branch) {
      const name = decodeURIComponent(branch[1] ?? "");
      const found = this.branches.get(name);
      if (!found) return { status: 404, body: { message: "Branch not found" } };
      return { status: 200, body: { name, protected: found.protected } };
    }
    return null;
  }

  // --- End of repository rules -----------------------------------------------------------------

  private toRest(comment: FakeComment) {
    return {
      id: comment.id,
      node_id: comment.node_id,
      body: comment.body,
      user: { login: comment.user.login, type: comment.user.type },
      html_url: `https://github.test/${this.owner}/${this.repo}/pull/${comment.issue}#issuecomment-${comment.id}`,
      created_at: comment.createdAt,
      updated_at: comment.edits[comment.edits.length - 1]?.at ?? comment.createdAt,
    };
  }
}

/** GraphQL names a bot by its app's slug, without REST's `[bot]`. */
function graphqlActor(user: FakeUser) {
  return {
    __typename: user.type,
    login: user.type === "Bot" ? user.login.replace(/\[bot\]$/, "") : user.login,
  };
}

/** One page of a list, with GitHub's Link header when more follow. */
function page(url: URL, all: unknown[]): InjectedAnswer {
  const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
  const number = Number(url.searchParams.get("page") ?? 1);
  const headers: Record<string, string> = {};
  if (number * perPage < all.length) {
    const next = new URL(url.href);
    next.searchParams.set("page", String(number + 1));
    const last = new URL(url.href);
    last.searchParams.set("page", String(Math.ceil(all.length / perPage)));
    headers.link = `<${next.href}>; rel="next", <${last.href}>; rel="last"`;
  }
  return { status: 200, body: all.slice((number - 1) * perPage, number * perPage), headers };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
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
