FROM alpine
RUN <<EOF
echo hi
EOF
RUN <<-EOT sh
	echo tabbed
	EOT
COPY <<A 3<<"B" /dst/
first $HOME
A
second $HOME
B
RUN <<  SPACED
x
SPACED
RUN ["<<EOF"]
RUN echo "<<NOT"
