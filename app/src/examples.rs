//! Example Dockerfiles the playground opens with.

/// The page's starting file: a small multi-stage build, the first thing learners meet.
pub const DEFAULT_DOCKERFILE: &str = "\
# A small multi-stage build: compile in one stage, ship only the result.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod main.go ./
RUN go build -o /out/app .

FROM alpine:3.20
COPY --from=build /out/app /usr/local/bin/app
USER nobody
CMD [\"app\"]
";
