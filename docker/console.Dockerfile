# syntax=docker/dockerfile:1.7
# Console: Next.js standalone output (server.js plus the traced node_modules).
#   docker build -f docker/console.Dockerfile -t portcullis-console .
FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm install -g pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile && pnpm --filter @portcullis/console build \
 && mkdir -p apps/console/public \
 && cp -r apps/console/.next/static apps/console/.next/standalone/apps/console/.next/static \
 && cp -r apps/console/public apps/console/.next/standalone/apps/console/public

FROM node:20-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /src/apps/console/.next/standalone/ ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "apps/console/server.js"]
