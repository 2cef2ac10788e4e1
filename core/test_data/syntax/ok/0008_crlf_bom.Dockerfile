FROM a
RUN echo \
  b
COPY <<EOF /x
line
EOF
