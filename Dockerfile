# Wegfrei app image. The database runs beside it (docker-compose.yml) or anywhere DATABASE_URL points.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:client && npm prune --omit=dev

FROM node:20-bookworm-slim
# NODE_ENV=production requires PUBLIC_URL at run time (docker run -e PUBLIC_URL=https://map.example.org):
# absolute links in public, cached responses must never come from a request's Host header.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
# Two malloc pools, not one per thread: with the embedded database about 30 MB less (docs/DEPLOY.md).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "server/main.ts"]
