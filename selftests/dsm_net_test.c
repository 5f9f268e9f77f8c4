// SPDX-License-Identifier: GPL-2.0
/*
 * The network of `swaplab dsm serve` (userspace/lib/dsm_net.c), on the
 * host, on 127.0.0.1 alone: frames are parsed as written and every
 * malformed header is refused, random bytes never make a frame longer
 * than what was read; two nodes connect, a page travels between them
 * whole, the stop handshake completes; and connections that send junk,
 * half a hello, a hello for another region or another manager, or that
 * come from an address not configured, are refused while the real peer
 * still gets in; and a message a peer sends after its bye, answering
 * what it had before, still arrives, and neither node counts the other
 * lost.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/common.h"
#include "lib/dsm_net.h"

#define PAGE	4096

static int never;

TEST(frames_round_trip)
{
	uint8_t buf[DSM_WIRE_HDR + PAGE];
	struct dsm_msg m = {
		.type = DSM_PAGE, .flags = DSM_PAGE_OWNER, .from = 3,
		.requester = 7, .index = 0x123456789aull, .copyset = 0x5a5a,
	}, got;
	const uint8_t *payload = NULL;
	const char *why = NULL;

	dsm_wire_header(buf, &m, PAGE);
	for (int i = 0; i < PAGE; i++)
		buf[DSM_WIRE_HDR + i] = i * 7;
	/* Not all of it yet: wait for more. */
	EXPECT_EQ(0, dsm_wire_parse(buf, DSM_WIRE_HDR + PAGE - 1, PAGE, &got,
				    &payload, &why));
	ASSERT_EQ(DSM_WIRE_HDR + PAGE,
		  dsm_wire_parse(buf, sizeof(buf), PAGE, &got, &payload, &why));
	EXPECT_EQ(m.type, got.type);
	EXPECT_EQ(m.flags, got.flags);
	EXPECT_EQ(m.from, got.from);
	EXPECT_EQ(m.requester, got.requester);
	EXPECT_EQ(m.index, got.index);
	EXPECT_EQ(m.copyset, got.copyset);
	EXPECT_EQ(buf + DSM_WIRE_HDR, payload);
}

TEST(hello_round_trip)
{
	uint8_t buf[DSM_WIRE_HDR + DSM_WIRE_HELLO_LEN];
	struct dsm_hello h = {
		.version = DSM_WIRE_VERSION, .nodes = 5, .page_size = PAGE,
		.pages = 0x1234567, .region = "a-region",
		.manager = DSM_MGR_DYNAMIC,
	}, got;
	uint8_t *p = buf + DSM_WIRE_HDR;

	dsm_wire_hello(buf, 3, &h);
	ASSERT_EQ(0, dsm_wire_read_hello(p, &got));
	EXPECT_EQ(h.version, got.version);
	EXPECT_EQ(h.nodes, got.nodes);
	EXPECT_EQ(h.page_size, got.page_size);
	EXPECT_EQ(h.pages, got.pages);
	EXPECT_STREQ(h.region, got.region);
	EXPECT_EQ(DSM_MGR_DYNAMIC, got.manager);
	/* The bytes after the manager are zero, and must be. */
	p[DSM_WIRE_HELLO_LEN - 1] = 1;
	EXPECT_EQ(-EINVAL, dsm_wire_read_hello(p, &got));
	p[DSM_WIRE_HELLO_LEN - 1] = 0;
	/* A name with no NUL in its bytes. */
	memset(p + 16, 'n', DSM_REGION_NAME_MAX);
	EXPECT_EQ(-EINVAL, dsm_wire_read_hello(p, &got));
}

TEST(malformed_headers_refused)
{
	uint8_t buf[DSM_WIRE_HDR + PAGE], bad[sizeof(buf)];
	struct dsm_msg m = { .type = DSM_READ_REQ, .index = 1 }, got;
	const uint8_t *payload;
	const char *why;
	/* Byte offset, value: each makes the header malformed. */
	static const struct { int off; uint8_t val; } cut[] = {
		{ 0, 'X' },		/* magic */
		{ 10, 1 },		/* the zero field */
		{ 4, 0 },		/* type 0 */
		{ 4, DSM_MSG_MAX + 1 },	/* type past the protocol's */
		{ 4, 0x3f },
		{ 4, 0x42 },
		{ 15, 1 },		/* a READ_REQ with a payload */
		{ 12, 0x80 },		/* a length of 2 GiB */
	};

	memset(buf, 0, sizeof(buf));
	dsm_wire_header(buf, &m, 0);
	ASSERT_EQ(DSM_WIRE_HDR, dsm_wire_parse(buf, DSM_WIRE_HDR, PAGE, &got,
					       &payload, &why));
	for (size_t i = 0; i < ARRAY_SIZE(cut); i++) {
		memcpy(bad, buf, sizeof(buf));
		bad[cut[i].off] = cut[i].val;
		why = NULL;
		EXPECT_EQ(-1, dsm_wire_parse(bad, sizeof(bad), PAGE, &got,
					     &payload, &why))
			TH_LOG("cut %zu: byte %d = %u accepted", i, cut[i].off,
			       cut[i].val);
		EXPECT_NE(NULL, why);
	}
	/* A PAGE must carry exactly a page. */
	m.type = DSM_PAGE;
	dsm_wire_header(bad, &m, PAGE - 1);
	EXPECT_EQ(-1, dsm_wire_parse(bad, sizeof(bad), PAGE, &got, &payload, &why));
	dsm_wire_header(bad, &m, 0);
	EXPECT_EQ(-1, dsm_wire_parse(bad, sizeof(bad), PAGE, &got, &payload, &why));
}

TEST(random_bytes_never_overrun)
{
	uint8_t buf[DSM_WIRE_HDR + PAGE];
	uint64_t seed = 0xd5a;
	struct dsm_msg got;
	const uint8_t *payload;
	const char *why;
	int frames = 0;

	for (int round = 0; round < 200000; round++) {
		size_t len = prng_next(&seed) % sizeof(buf);
		ssize_t r;

		for (size_t i = 0; i < len; i++)
			buf[i] = prng_next(&seed);
		/*
		 * Now and then a header that parses, to reach the length
		 * and the payload: a type of the protocol's or near, and a
		 * length of none, a page or a hello.
		 */
		if (len >= DSM_WIRE_HDR && round % 4 == 0) {
			static const uint32_t lens[] = { 0, PAGE, DSM_WIRE_HELLO_LEN };
			uint32_t l = lens[prng_next(&seed) % 3];

			memcpy(buf, "SLDM", 4);
			buf[4] = prng_next(&seed) % (DSM_WIRE_BYE + 2);
			memset(buf + 10, 0, 4);
			buf[14] = l >> 8;
			buf[15] = l;
		}
		r = dsm_wire_parse(buf, len, PAGE, &got, &payload, &why);
		ASSERT_LE(r, (ssize_t)len);
		ASSERT_GE(r, -1);
		frames += r > 0;
	}
	TH_LOG("%d random buffers parsed as a frame", frames);
}

/* A free TCP port of 127.0.0.1 now. */
static int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len))
		return -1;
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void setup_net(struct dsm_net *net, unsigned int id, const char *peers,
		      const char *region)
{
	memset(net, 0, sizeof(*net));
	net->id = id;
	if (dsm_net_parse_peers(net, peers))
		exit(10);
	net->hello.version = DSM_WIRE_VERSION;
	net->hello.page_size = PAGE;
	net->hello.pages = 16;
	memcpy(net->hello.region, region, strlen(region) + 1);
}

/*
 * Two free ports of 127.0.0.1 in @peers, and node 0 at the first, set up
 * and listening. Return: its port, or -1.
 */
static int listen_node0(struct dsm_net *net, char *peers, size_t len)
{
	int port0 = free_port(), port1 = free_port();

	if (port0 < 0 || port1 < 0)
		return -1;
	snprintf(peers, len, "127.0.0.1:%d,127.0.0.1:%d", port0, port1);
	setup_net(net, 0, peers, "dsm-net-test");
	return dsm_net_listen(net) ? -1 : port0;
}

struct got {
	struct dsm_msg m;
	uint8_t page[PAGE];
	int n;
};

static int take(void *ctx, const struct dsm_msg *m, const void *data)
{
	struct got *g = ctx;

	g->m = *m;
	if (data)
		memcpy(g->page, data, PAGE);
	g->n++;
	return 0;
}

/* Serve @net until @g has @n messages and every peer said bye or @ms passed. */
static void pump(struct dsm_net *net, struct got *g, int n, bool bye, int ms)
{
	for (int waited = 0; waited < ms; waited += 20) {
		struct pollfd pfd[DSM_NODES_MAX + 1];
		unsigned int npfd = dsm_net_pollfds(net, pfd);

		poll(pfd, npfd, 20);
		dsm_net_service(net, pfd, npfd, take, g);
		if (g->n >= n && (!bye || dsm_net_all_bye(net)))
			return;
	}
}

/* Send what @kind says to @port, as a stranger; 0 if the server closed it. */
static int stranger(int port, const char *kind)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { 5, 0 };
	uint8_t buf[DSM_WIRE_HDR + DSM_WIRE_HELLO_LEN];
	struct dsm_hello h = {
		.version = DSM_WIRE_VERSION, .nodes = 2, .page_size = PAGE,
		.pages = 16, .region = "elsewhere",
	};
	size_t len;
	int fd;

	/* "manager": the right region, with the other manager. */
	if (!strcmp(kind, "manager")) {
		snprintf(h.region, sizeof(h.region), "%s", "dsm-net-test");
		h.manager = DSM_MGR_DYNAMIC;
	}

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 100; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(fd);
		fd = -1;
		usleep(20000);
	}
	if (fd < 0)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	dsm_wire_hello(buf, 1, &h);
	if (!strcmp(kind, "junk")) {
		memset(buf, 'j', sizeof(buf));
		len = sizeof(buf);
	} else if (!strcmp(kind, "truncated")) {
		len = 20;
	} else {
		len = sizeof(buf);
	}
	if (send(fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len)
		return 1;
	if (!strcmp(kind, "truncated"))
		shutdown(fd, SHUT_WR);
	if (recv(fd, buf, sizeof(buf), 0) < 0 && errno == EAGAIN)
		return 1;	/* still open after 5 s */
	close(fd);
	return 0;
}

static char logged[4096];

static int occurrences(const char *text, const char *what)
{
	int n = 0;

	for (const char *at = strstr(text, what); at; at = strstr(at + 1, what))
		n++;
	return n;
}

static void keep_log(void *ctx, const char *line)
{
	(void)ctx;
	strncat(logged, line, sizeof(logged) - strlen(logged) - 2);
	strcat(logged, "\n");
}

TEST(two_nodes_and_strangers)
{
	char peers[64];
	struct dsm_net net;
	struct got g = { 0 };
	int port0, status;
	pid_t child;

	port0 = listen_node0(&net, peers, sizeof(peers));
	ASSERT_LT(0, port0);
	net.log = keep_log;
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		/* Strangers first, then node 1: a page each way, and bye. */
		struct dsm_msg m = { .type = DSM_PAGE, .from = 1, .index = 5 };
		struct dsm_net n1;
		struct got g1 = { 0 };
		uint8_t page[PAGE];

		if (stranger(port0, "junk") || stranger(port0, "truncated") ||
		    stranger(port0, "hello") || stranger(port0, "manager"))
			exit(1);
		setup_net(&n1, 1, peers, "dsm-net-test");
		if (dsm_net_listen(&n1) || dsm_net_connect(&n1, 10000, &never))
			exit(2);
		for (int i = 0; i < PAGE; i++)
			page[i] = pattern(5, i, 1);
		if (dsm_net_send(&n1, 0, &m, page))
			exit(3);
		pump(&n1, &g1, 1, false, 10000);
		if (g1.n != 1 || g1.m.type != DSM_PAGE || g1.m.index != 6 ||
		    memcmp(g1.page, page, PAGE))
			exit(4);
		/* Once both are up, a stranger is refused at once. */
		if (stranger(port0, "hello"))
			exit(5);
		dsm_net_bye(&n1);
		pump(&n1, &g1, 1, true, 10000);
		exit(dsm_net_all_bye(&n1) ? 0 : 6);
	}
	ASSERT_EQ(0, dsm_net_connect(&net, 20000, &never));
	pump(&net, &g, 1, false, 10000);
	ASSERT_EQ(1, g.n);
	EXPECT_EQ(DSM_PAGE, g.m.type);
	EXPECT_EQ(1, g.m.from);
	/* Back, as index 6, the same bytes. */
	g.m.from = 0;
	g.m.index = 6;
	ASSERT_EQ(0, dsm_net_send(&net, 1, &g.m, g.page));
	pump(&net, &g, 1, true, 10000);
	dsm_net_bye(&net);
	pump(&net, &g, 1, true, 10000);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_TRUE(dsm_net_all_bye(&net));
	dsm_net_close(&net);
	TH_LOG("%s", logged);
	EXPECT_NE(NULL, strstr(logged, "not a swaplab dsm frame"));
	EXPECT_NE(NULL, strstr(logged, "closed before its hello"));
	/* Two: the other region's hello and the other manager's. */
	EXPECT_EQ(2, occurrences(logged, "another configuration"));
	EXPECT_NE(NULL, strstr(logged, "every peer is connected or gone"));
	EXPECT_NE(NULL, strstr(logged, "peer 1 connected"));
	EXPECT_NE(NULL, strstr(logged, "peer 1 stopped"));
	EXPECT_EQ(0, dsm_net_peers_lost(&net));
}

/* Serve @net, for @ms at most, until the stop is over (dsm_net_finish()). */
static bool finish(struct dsm_net *net, struct got *g, int ms)
{
	for (int waited = 0; waited < ms; waited += 20) {
		struct pollfd pfd[DSM_NODES_MAX + 1];
		unsigned int npfd = dsm_net_pollfds(net, pfd);

		poll(pfd, npfd, 20);
		dsm_net_service(net, pfd, npfd, take, g);
		if (dsm_net_all_bye(net) && dsm_net_finish(net))
			return true;
	}
	return false;
}

/*
 * Node 1 says bye, then answers, 300 ms later, what node 0 had asked
 * before: node 0, which has its bye and says its own, must not close the
 * connection on it, but read on until node 1 closes its end. Closed at
 * the last bye, node 0 would miss the page and node 1 would find node 0
 * gone.
 */
TEST(answers_after_bye_arrive)
{
	char peers[64];
	struct dsm_net net;
	struct got g = { 0 };
	int status;
	pid_t child;

	ASSERT_LT(0, listen_node0(&net, peers, sizeof(peers)));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct dsm_msg m = { .type = DSM_PAGE, .from = 1, .index = 3 };
		struct dsm_net n1;
		struct got g1 = { 0 };
		uint8_t page[PAGE];

		setup_net(&n1, 1, peers, "dsm-net-test");
		if (dsm_net_listen(&n1) || dsm_net_connect(&n1, 10000, &never))
			exit(2);
		dsm_net_bye(&n1);
		usleep(300000);
		memset(page, 0x3c, sizeof(page));
		if (dsm_net_send(&n1, 0, &m, page))
			exit(3);
		if (!finish(&n1, &g1, 10000))
			exit(4);
		exit(dsm_net_peers_lost(&n1) ? 5 : 0);
	}
	ASSERT_EQ(0, dsm_net_connect(&net, 20000, &never));
	/* Node 1's bye first, then ours. */
	pump(&net, &g, 0, true, 10000);
	ASSERT_TRUE(dsm_net_all_bye(&net));
	dsm_net_bye(&net);
	ASSERT_TRUE(finish(&net, &g, 10000));
	EXPECT_EQ(1, g.n);
	EXPECT_EQ(DSM_PAGE, g.m.type);
	EXPECT_EQ(0x3c, g.page[0]);
	EXPECT_EQ(0, dsm_net_peers_lost(&net));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	dsm_net_close(&net);
}

TEST_HARNESS_MAIN
