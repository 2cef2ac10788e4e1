FROM a
RUNN echo typo
wokdir /app
FOO bar
COPY a b
