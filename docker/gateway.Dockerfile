# syntax=docker/dockerfile:1.7
# Gateway: one bundled file, no node_modules at run time. Build from the repo root:
#   docker build -f docker/gateway.Dockerfile -t portcullis-gateway .
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile && pnpm --filter @portcullis/gateway build

FROM node:20-bookworm-slim
ENV NODE_ENV=production GATEWAY_PORT=4000
WORKDIR /app
COPY --from=build --chown=node:node /src/apps/gateway/dist/ ./
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.GATEWAY_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "server.mjs"]
