# compliance-ledger: the compiled service. `docker build -t compliance-ledger .`, then
# `docker run -p 3000:3000 -v ledger-data:/app/data compliance-ledger` (or `docker compose up`).

# Production dependencies only; better-sqlite3 compiles from source here (python3, make, g++ are in this image).
FROM node:20.20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=warn

# The toolchain: every dependency, then `npm run build` into dist/.
FROM node:20.20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --loglevel=warn
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY projections ./projections
COPY src ./src
RUN npm run build

# The runtime: node, the production dependencies, the compiled code and the templates; no compiler, no sources.
FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    LEDGER_STORE=sqlite:/app/data/ledger.db \
    LEDGER_TEMPLATES_DIR=/app/templates
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY templates ./templates
# The log, the read models and the generated reports live in /app/data, owned by the unprivileged user.
RUN mkdir /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# The image has no curl: node's own fetch asks /health (200 when the store can serve, 503 when not). Start-up takes
# seconds, well within the three tries (no --start-period: dockerfilelint 1.8 misreads it).
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
