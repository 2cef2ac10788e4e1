FROM --platform=$BUILDPLATFORM golang:1.22 AS builder
RUN --mount=type=cache,target=/root/.cache --network=none --security=insecure go build
COPY --from=builder --chown=1000:1000 --link /out /app
ADD --checksum=sha256:abc https://example.com/x /x
COPY --link -- --weird /dst
RUN --mount="type=secret,id=a b" cat /run/secrets/a
