# Nexus container image: builds the npm package in a throwaway stage, installs only that package
# (zero runtime dependencies) on a slim Node 20 base, and runs it as the unprivileged `node` user.
#   docker build -t nexus .
#   docker run -p 8000:8000 -v "$PWD/nexus.json:/etc/nexus/nexus.json:ro" nexus

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json README.md ./
COPY src ./src
# `npm pack` runs the `prepack` build and keeps exactly the files the published package ships.
RUN npm pack --pack-destination /pkg

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NEXUS_HOST=0.0.0.0 \
    NEXUS_PORT=8000
COPY --from=build /pkg/ /tmp/pkg/
RUN npm install --global --offline --no-audit --no-fund /tmp/pkg/nexus-gateway-*.tgz \
    && rm -rf /tmp/pkg /root/.npm \
    && mkdir -p /etc/nexus
# The config is read from ./nexus.json when present: mount yours at /etc/nexus/nexus.json.
WORKDIR /etc/nexus
USER node
EXPOSE 8000
# Liveness only: /health answers 200 while the process serves, even with every backend down, so a
# down backend never restarts the container (readiness is /ready). Slim images have no curl. With
# server.tls on, set NEXUS_HEALTHCHECK_SCHEME=https: the probe then goes over TLS to loopback without
# checking the certificate (it asks only whether this process answers).
ENV NEXUS_HEALTHCHECK_SCHEME=http
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "if (process.env.NEXUS_HEALTHCHECK_SCHEME === 'https') process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; fetch((process.env.NEXUS_HEALTHCHECK_SCHEME || 'http') + '://127.0.0.1:' + (process.env.NEXUS_PORT || 8000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["nexus"]
CMD ["serve"]
