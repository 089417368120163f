# Builds cogi on Debian bookworm and runs the demo server on port 8000.
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
RUN scripts/setup.sh --build-only
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCOGI_BUILD_TESTS=OFF \
 && cmake --build build -j"$(nproc)" --target demo

FROM debian:bookworm-slim
# The allocator the server links (server/runtime/jemalloc_config.cpp); zlib is already in the image.
RUN apt-get update && apt-get install -y --no-install-recommends libjemalloc2 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/examples/demo /usr/local/bin/cogi-demo
COPY --from=build /src/examples/demo/static /usr/local/share/cogi/demo-static
ENV COGI_DEMO_STATIC_DIR=/usr/local/share/cogi/demo-static
EXPOSE 8000
USER nobody
# Listen on all interfaces inside the container; every flag also reads COGI_* variables.
ENV COGI_HOST=0.0.0.0 COGI_PORT=8000
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/cogi-demo"]
