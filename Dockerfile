# ark-sync in a container, for `ark-sync sync --watch` in Kubernetes (docs/deploy.md): Node 24, the
# built CLI with production dependencies only, git for --repo and git state, run as UID 1000, and
# nothing written outside /tmp and /var/cache/ark-sync, so the root filesystem can be read-only.
# Build: docker build -t ark-sync .   Run: docker run --rm ark-sync --help
# Pin the base by digest where you build (--build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:…).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY schemas ./schemas
COPY src ./src
RUN npx tsc -p .

FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install --yes --no-install-recommends git ca-certificates openssh-client \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Writable places only: HOME (git's and npm's) is /tmp, the --repo working copies are under XDG_CACHE_HOME.
# Mount both (emptyDir) when the root filesystem is read-only.
ENV NODE_ENV=production \
  HOME=/tmp \
  XDG_CACHE_HOME=/var/cache/ark-sync
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/schemas ./dist/schemas
COPY --from=build /src/dist/package.json ./dist/package.json
RUN chmod 0755 dist/src/cli/main.js \
  && ln -s /app/dist/src/cli/main.js /usr/local/bin/ark-sync \
  && mkdir -p /var/cache/ark-sync \
  && chown 1000:1000 /var/cache/ark-sync
# The node image's `node` user, by number: Kubernetes' runAsNonRoot can only check a numeric user.
USER 1000:1000
ENTRYPOINT ["ark-sync"]
CMD ["--help"]
