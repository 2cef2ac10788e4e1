# syntax=docker/dockerfile:1
# escape=`

FROM mcr.microsoft.com/windows/servercore
RUN dir `
    c:\ 
COPY a\b c:\d\
