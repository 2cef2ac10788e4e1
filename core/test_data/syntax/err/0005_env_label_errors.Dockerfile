FROM a
ENV A=1 B
LABEL only
RUN still parsed
