FROM a
RUN a \

    b
# escape=`
RUN c \

