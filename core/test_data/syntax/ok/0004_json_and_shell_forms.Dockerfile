FROM a
CMD ["echo", "hi"]
CMD ["a"] trailing
ENTRYPOINT ["x\u0000y", "\ud83d\ude00"]
SHELL ["/bin/sh", "-c"]
CMD []
CMD ["a",]
VOLUME ["/v1", "/v2"]
VOLUME /a /b
COPY ["a b", "/c/"]
EXPOSE 80/tcp 443
