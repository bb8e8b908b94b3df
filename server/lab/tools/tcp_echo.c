// SPDX-License-Identifier: GPL-2.0
/*
 * packetwalk lab: the TCP echo server of the lab's "internet" and server pods, run inside a lab
 * namespace (ip netns exec <ns> tcp_echo <ip> <port> <lifetime-s> [label]). With a label
 * (`default/backend`) the echo is prefixed `label: `, so a client of a service learns which
 * backend answered. It prints one line, `listening ip:port`, once it listens (the lab waits for
 * it, then closes the pipe), serves one connection at a time, and exits after its lifetime
 * (alarm) or on SIGTERM from `npm run lab -- down`. C rather than node: it starts in a
 * millisecond and a few hundred kilobytes, which matters on a loaded 2-core machine.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	long port, lifetime;
	const char *label = argc > 4 ? argv[4] : NULL;
	int one = 1, fd;

	if (argc < 4 || inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1 ||
	    (port = strtol(argv[2], NULL, 10)) < 1 || port > 65535 ||
	    (lifetime = strtol(argv[3], NULL, 10)) < 1 || lifetime > 86400 || (label && strlen(label) > 253)) {
		fprintf(stderr, "usage: tcp_echo <ipv4> <port> <lifetime-seconds> [label]\n");
		return 2;
	}
	addr.sin_port = htons((unsigned short)port);
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)lifetime); /* SIGALRM's default action ends the process */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 16) < 0) {
		perror("tcp_echo");
		return 1;
	}
	printf("listening %s:%ld\n", argv[1], port);
	fflush(stdout);
	for (;;) {
		struct timeval tv = { .tv_sec = 5 };
		char buf[4096];
		ssize_t n;
		int first = 1, c = accept(fd, NULL, NULL);

		if (c < 0)
			continue;
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		while ((n = read(c, buf, sizeof(buf))) > 0) {
			if (first && label) {
				char prefix[260];
				int len = snprintf(prefix, sizeof(prefix), "%s: ", label);

				if (write(c, prefix, (size_t)len) != len)
					break;
			}
			first = 0;
			if (write(c, buf, (size_t)n) != n)
				break;
		}
		close(c);
	}
}
