FROM a
ONBUILD RUN --mount=type=cache,target=/c make
ONBUILD COPY . /app
ONBUILD ADD <<EOF /x
body
EOF
HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK NONE
