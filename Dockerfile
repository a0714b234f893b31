# syntax=docker/dockerfile:1
#
# jitsi-token-service image.
#   docker build -t jitsi-token-service .
#   docker run --read-only -p 127.0.0.1:3030:3000 --env-file .env \
#     -v "$PWD/config:/etc/jitsi-token-service:ro" \
#     -e CLIENTS_FILE=/etc/jitsi-token-service/clients.json jitsi-token-service
# Usually through Compose instead: token-service.yml (beside docker-jitsi-meet) or docker-compose.yml,
# see docs/deployment.md.
#
# Node 22 is a maintained LTS line (the dev machine's Node 20 is not used here).
# For reproducible builds, pin the base by digest: node:22-bookworm-slim@sha256:<digest>.

# ---- build: install everything, compile src/ to dist/ ------------------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/console-bundle.mjs scripts/server-bundle.mjs ./scripts/
# dist/server.js is the server bundled into a few files (scripts/server-bundle.mjs): faster start-up.
RUN npm run build

# ---- runtime: production dependencies and compiled JavaScript only -------------------------
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

# No dependency needs an install script at runtime (only esbuild, a dev dependency, has one).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

# dist/ only: no sources, tests, keys or .env end up in the image.
COPY --from=build /app/dist ./dist

# Listen on every interface inside the container; PORT is the one EXPOSEd below.
ENV HOST=0.0.0.0 \
    NODE_OPTIONS=--max-semi-space-size=4 \
    PORT=3000

# The service writes nothing to disk, so the container runs with a read-only root filesystem.
# `node` (uid 1000) comes with the official image; files above stay owned by root, read-only to it.
USER node

EXPOSE 3000

# dist/healthcheck.js: a dependency-free probe of GET /health/ready (no curl in this image).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]

# Exec form and plain node, never `npm start` (its prestart would rebuild, and npm would sit
# between Docker and node): SIGTERM reaches the server's graceful shutdown directly.
CMD ["node", "dist/server.js"]
