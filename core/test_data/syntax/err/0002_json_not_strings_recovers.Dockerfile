FROM a
CMD ["ok", 1]
RUN echo resumes here
ENTRYPOINT [["nested"]]
USER app
