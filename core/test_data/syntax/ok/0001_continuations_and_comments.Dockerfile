FROM alpine:3.19 AS build
# a comment
RUN apk add --no-cache \
    # comment lines inside a continuation are dropped
    curl \
    git   
RUN echo a \\
RUN echo "quoted \" string" && \
  echo done
