# Production image for the agent-bot and analytics services (one image, two commands; see
# docker-compose.yml). Node 22 LTS: the code runs on Node 20 too (what CI uses).
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
# ffmpeg converts WhatsApp voice notes (OGG/Opus) for transcription providers that need it.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY events/package.json events/
COPY kb-ingest/package.json kb-ingest/
COPY analytics/package.json analytics/
COPY agent-bot/package.json agent-bot/
COPY dashboards/package.json dashboards/
COPY simulator/package.json simulator/
COPY playground/package.json playground/
COPY test/package.json test/
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
EXPOSE 3100 3200
CMD ["node", "--import", "tsx", "agent-bot/src/main.ts"]
