# syntax=docker/dockerfile:1.7
# Worker, plus the `portcullis` CLI (migrate, bootstrap, apply, export) and the migrations.
#   docker build -f docker/worker.Dockerfile -t portcullis-worker .
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm --filter @portcullis/worker build \
 && pnpm --filter @portcullis/cli build

FROM node:20-bookworm-slim
ENV NODE_ENV=production WORKER_PORT=4001
WORKDIR /app
# The CLI finds the migrations at ../../../prisma/migrations relative to its bundle.
COPY --from=build --chown=node:node /src/apps/worker/dist/ ./apps/worker/dist/
COPY --from=build --chown=node:node /src/apps/cli/dist/ ./apps/cli/dist/
COPY --from=build --chown=node:node /src/prisma/migrations/ ./prisma/migrations/
RUN printf '#!/bin/sh\nexec node --enable-source-maps /app/apps/cli/dist/portcullis.mjs "$@"\n' > /usr/local/bin/portcullis && chmod +x /usr/local/bin/portcullis
USER node
EXPOSE 4001
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.WORKER_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "apps/worker/dist/server.mjs"]
