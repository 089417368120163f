# The demo server as a container image (docs/container.md): built on Debian bookworm,
# run on bookworm-slim as an unprivileged user.
#   podman build --format docker -t cogi-demo .     (docker build -t cogi-demo . alike)
#   podman run -p 127.0.0.1:8000:8000 cogi-demo
# scripts/container.sh builds, runs and checks it, even where no registry is reachable.

# ---- build: the compilers and libraries from scripts/setup.sh, then the demo only
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/ scripts/
RUN scripts/setup.sh --build-only && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DCOGI_BUILD_TESTS=OFF -DCOGI_BUILD_BENCH=OFF \
 && cmake --build /build -j"$(nproc)" --target demo \
 && strip /build/examples/demo

# ---- runtime: the binary, its static files, and the one library it loads beyond libc
FROM debian:bookworm-slim
# jemalloc: the allocator the demo links (server/runtime/jemalloc_config.cpp); libstdc++
# and zlib are in the base image already.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*
COPY --from=build /build/examples/demo /usr/local/bin/cogi-demo
COPY --from=build /src/examples/demo/static /usr/local/share/cogi/demo-static
# Every flag also reads COGI_<NAME>: listen on all interfaces inside the container; one
# loop per CPU the container may use (its CPU quota, not the host's cores).
ENV COGI_DEMO_STATIC_DIR=/usr/local/share/cogi/demo-static \
    COGI_HOST=0.0.0.0 \
    COGI_PORT=8000 \
    COGI_TIMEOUT_GRACEFUL_SHUTDOWN=20
EXPOSE 8000
# A numeric user, so that Kubernetes' runAsNonRoot can verify it; owns nothing: the
# image's files are read-only to it.
USER 10001:10001
# The program asks itself (no curl in the image): GET /healthz on its own port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/cogi-demo", "--healthcheck"]
# SIGTERM drains: in-flight requests finish (up to COGI_TIMEOUT_GRACEFUL_SHUTDOWN), then exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/cogi-demo"]
