# syntax=docker/dockerfile:1
# Production image for the agent-bot and analytics services (one image, several commands; see
# docker-compose.yml). Node 24 (Active LTS, supported until April 2028): Node 20 left support in
# April 2026 and a dependency (cookie 2.0.2) wants Node >= 22. The code also runs on Node 20;
# .ci/run tests both (NODE_IMAGE_MAJOR there must match this FROM line: test/deploy checks it).

# Only the package manifests, so `npm ci` below is re-run only when one of them changes. The
# workspace list is read from the root package.json: a new workspace needs no edit here.
FROM node:24-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN node -e " \
  const fs = require('node:fs'); \
  const root = require('./package.json'); \
  for (const dir of root.workspaces) { \
    fs.mkdirSync('/manifests/' + dir, { recursive: true }); \
    fs.copyFileSync(dir + '/package.json', '/manifests/' + dir + '/package.json'); \
  } \
  fs.copyFileSync('package.json', '/manifests/package.json'); \
  fs.copyFileSync('package-lock.json', '/manifests/package-lock.json');"

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
# ffmpeg converts WhatsApp voice notes (OGG/Opus) for transcription providers that need it.
# The compose healthchecks call `node` (curl and wget are not in the slim image).
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .

# The offline embedder's word-vector table, built now at a read-only path (it would otherwise be
# built on first use under /app/data: seconds of CPU and a gigabyte of memory per fresh volume).
ENV KB_WORD_VECTORS_CACHE=/opt/switchboard/cache/wink-sg-100d.v1.bin
RUN node --import tsx kb-ingest/src/embedding/build-word-vectors.ts

# Writable at run time, and nothing else: /app/data (exports, local-mode stores) and /tmp (voice-
# note decoding, tsx's compile cache). docker-compose mounts a volume or a tmpfs on each.
RUN install -d -o node -g node -m 0750 /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3100 3200
CMD ["node", "--import", "tsx", "agent-bot/src/main.ts"]
