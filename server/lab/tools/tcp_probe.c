// SPDX-License-Identifier: GPL-2.0
/*
 * packetwalk lab: the probe, run inside the client's namespace (ip netns exec <ns> tcp_probe <ip>
 * <port> [local-ip]). It opens one TCP connection, sends a line, waits for the echo and closes
 * first, cleanly, so the nodes' conntrack hold a complete (TIME_WAIT) flow, and prints
 * `connected <local ip:port> -> <ip:port>, echoed N bytes[, answered by <label>]`. Every wait
 * is bounded (3 s).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char message[] = "packetwalk probe\n";

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET }, src = { .sin_family = AF_INET }, local;
	socklen_t len = sizeof(local);
	struct timeval tv = { .tv_sec = 3 };
	char echoed[512], lip[INET_ADDRSTRLEN];
	size_t got = 0, mlen = sizeof(message) - 1;
	long port;
	ssize_t n;
	int fd;

	if (argc < 3 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1 || (port = strtol(argv[2], NULL, 10)) < 1 ||
	    port > 65535 || (argc > 3 && inet_pton(AF_INET, argv[3], &src.sin_addr) != 1)) {
		fprintf(stderr, "usage: tcp_probe <ipv4> <port> [local-ipv4]\n");
		return 2;
	}
	dst.sin_port = htons((unsigned short)port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)); /* bounds connect() too */
	if ((argc > 3 && bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0) ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		perror("tcp_probe");
		return 1;
	}
	getsockname(fd, (struct sockaddr *)&local, &len);
	inet_ntop(AF_INET, &local.sin_addr, lip, sizeof(lip));
	if (write(fd, message, mlen) != (ssize_t)mlen) {
		perror("tcp_probe: write");
		return 1;
	}
	while (got < sizeof(echoed) - 1 && (n = read(fd, echoed + got, sizeof(echoed) - 1 - got)) > 0) {
		got += (size_t)n;
		echoed[got] = '\0';
		if (got >= mlen && strcmp(echoed + got - mlen, message) == 0)
			break;
	}
	if (got < mlen || strcmp(echoed + got - mlen, message) != 0) {
		fprintf(stderr, "tcp_probe: no echo from %s:%ld within 3 s\n", argv[1], port);
		return 1;
	}
	shutdown(fd, SHUT_WR);
	{
		char rest[512];

		while (read(fd, rest, sizeof(rest)) > 0)
			; /* until the server's FIN (or the 3 s bound) */
	}
	close(fd);
	echoed[got - mlen] = '\0';
	if (got > mlen + 2 && echoed[got - mlen - 2] == ':')
		echoed[got - mlen - 2] = '\0';
	printf("connected %s:%u -> %s:%ld, echoed %zu bytes%s%s\n", lip, ntohs(local.sin_port), argv[1], port, mlen,
	       got > mlen ? ", answered by " : "", got > mlen ? echoed : "");
	return 0;
}
