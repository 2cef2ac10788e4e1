FROM a
ENV A=1 B="two words" C=three\ words
ENV LEGACY value with spaces
LABEL org.opencontainers.image.title="x" version=1
ARG V=1 W
ARG Q="a b"
USER app:app
WORKDIR /srv/$V
STOPSIGNAL SIGTERM
MAINTAINER someone <a@b.c>
