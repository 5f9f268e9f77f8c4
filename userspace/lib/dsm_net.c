// SPDX-License-Identifier: GPL-2.0
/*
 * The network of `swaplab dsm serve` (lib/dsm_net.h): frames, the hello
 * that opens each connection, and the connections themselves, written
 * without blocking once they are up so that two nodes sending each
 * other pages never wait on each other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lib/dsm_net.h"

/* How long a hello may take to come, once a connection is made. */
#define HELLO_MS	2000

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/**
 * dsm_wire_header() - encode a frame's header
 * @buf: %DSM_WIRE_HDR bytes
 * @m: the message
 * @length: the bytes that follow the header
 */
void dsm_wire_header(uint8_t *buf, const struct dsm_msg *m, uint32_t length)
{
	put32(buf, DSM_WIRE_MAGIC);
	buf[4] = m->type;
	buf[5] = m->flags;
	put16(buf + 6, m->from);
	put16(buf + 8, m->requester);
	put16(buf + 10, 0);
	put32(buf + 12, length);
	put64(buf + 16, m->index);
	put64(buf + 24, m->copyset);
}

/**
 * dsm_wire_hello() - encode a hello frame
 * @buf: %DSM_WIRE_HDR + %DSM_WIRE_HELLO_LEN bytes
 * @from: the node that says it
 * @h: what it says
 */
void dsm_wire_hello(uint8_t *buf, unsigned int from,
		    const struct dsm_hello *h)
{
	struct dsm_msg m = { .type = DSM_WIRE_HELLO, .from = from };
	uint8_t *p = buf + DSM_WIRE_HDR;

	dsm_wire_header(buf, &m, DSM_WIRE_HELLO_LEN);
	put16(p, h->version);
	put16(p + 2, h->nodes);
	put32(p + 4, h->page_size);
	put64(p + 8, h->pages);
	memset(p + 16, 0, DSM_WIRE_HELLO_LEN - 16);
	memcpy(p + 16, h->region, strnlen(h->region, DSM_REGION_NAME_MAX - 1));
	p[16 + DSM_REGION_NAME_MAX] = h->manager;
}

/**
 * dsm_wire_read_hello() - decode a hello's payload
 * @payload: %DSM_WIRE_HELLO_LEN bytes
 * @h: what it says
 *
 * Return: 0, or -EINVAL if its region name is not NUL-terminated or
 * its zero bytes are not.
 */
int dsm_wire_read_hello(const uint8_t *payload, struct dsm_hello *h)
{
	const uint8_t *tail = payload + 16 + DSM_REGION_NAME_MAX;

	h->version = get16(payload);
	h->nodes = get16(payload + 2);
	h->page_size = get32(payload + 4);
	h->pages = get64(payload + 8);
	memcpy(h->region, payload + 16, DSM_REGION_NAME_MAX);
	h->manager = tail[0];
	for (size_t i = 1; i < DSM_WIRE_HELLO_LEN - 16 - DSM_REGION_NAME_MAX; i++)
		if (tail[i])
			return -EINVAL;
	return memchr(h->region, 0, DSM_REGION_NAME_MAX) ? 0 : -EINVAL;
}

/**
 * dsm_wire_parse() - the first frame of a buffer
 * @buf: bytes read from a connection
 * @len: how many
 * @page_size: the length of a page, DSM_PAGE's payload
 * @m: the frame's message
 * @payload: its payload, or NULL if it has none
 * @why: what is wrong with it, when it is malformed
 *
 * A frame is malformed when its header is: the magic, the zero field,
 * the type, or a length that is not its type's. Nothing else is checked
 * here: whether the message fits the protocol is the engine's to say.
 *
 * Return: the frame's bytes; 0 if @buf does not hold all of it yet; -1
 * if it is malformed.
 */
ssize_t dsm_wire_parse(const uint8_t *buf, size_t len, size_t page_size,
		       struct dsm_msg *m, const uint8_t **payload,
		       const char **why)
{
	uint32_t length, want;

	if (len < DSM_WIRE_HDR)
		return 0;
	if (get32(buf) != DSM_WIRE_MAGIC) {
		*why = "not a swaplab dsm frame (bad magic)";
		return -1;
	}
	if (get16(buf + 10)) {
		*why = "a reserved field is not zero";
		return -1;
	}
	memset(m, 0, sizeof(*m));
	m->type = buf[4];
	m->flags = buf[5];
	m->from = get16(buf + 6);
	m->requester = get16(buf + 8);
	m->index = get64(buf + 16);
	m->copyset = get64(buf + 24);
	length = get32(buf + 12);
	if (m->type == DSM_WIRE_HELLO) {
		want = DSM_WIRE_HELLO_LEN;
	} else if (m->type == DSM_WIRE_BYE) {
		want = 0;
	} else if (m->type >= DSM_READ_REQ && m->type <= DSM_MSG_MAX) {
		want = m->type == DSM_PAGE ? page_size : 0;
	} else {
		*why = "an unknown message type";
		return -1;
	}
	if (length != want) {
		*why = "a length that is not its type's";
		return -1;
	}
	if (len < DSM_WIRE_HDR + (size_t)length)
		return 0;
	*payload = length ? buf + DSM_WIRE_HDR : NULL;
	return DSM_WIRE_HDR + length;
}

static void lognet(struct dsm_net *net, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!net->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	net->log(net->ctx, line);
}

static const char *addr_str(const struct sockaddr_storage *ss, char *buf,
			    size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?", port[8] = "?";

	getnameinfo((const struct sockaddr *)ss, sizeof(*ss), host,
		    sizeof(host), port, sizeof(port),
		    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(buf, len, ss->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		 host, port);
	return buf;
}

/* Whether two addresses are the same host, whatever their ports. */
static bool same_host(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr,
		       sizeof(struct in6_addr));
}

static int parse_addr(const char *s, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
		.ai_socktype = SOCK_STREAM,
	};
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	struct addrinfo *ai;
	size_t hl;

	if (!colon || colon == s || !colon[1])
		return -EINVAL;
	hl = colon - s;
	if (s[0] == '[') {
		if (hl < 3 || s[hl - 1] != ']')
			return -EINVAL;
		s++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hl);
	host[hl] = 0;
	if (getaddrinfo(host, colon + 1, &hints, &ai))
		return -EINVAL;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/**
 * dsm_net_parse_peers() - the nodes' addresses, from the configuration
 * @net: the network, its @id set
 * @list: "ADDR:PORT,ADDR:PORT,...", node 0's first; numeric IPv4 or
 *	IPv6 addresses ("[::1]:7000"); this node's is where it listens
 *
 * Sets the number of nodes in @net->hello.
 *
 * Return: 0, or -EINVAL for a malformed list, a node out of it, fewer
 * than two nodes or more than %DSM_NODES_MAX.
 */
int dsm_net_parse_peers(struct dsm_net *net, const char *list)
{
	char *copy = strdup(list), *save = NULL, *tok;
	unsigned int n = 0;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == DSM_NODES_MAX) {
			err = -EINVAL;
			break;
		}
		err = parse_addr(tok, &net->peer[n].addr, &net->peer[n].addrlen);
		net->peer[n].fd = -1;
		n++;
	}
	free(copy);
	if (err || n < 2 || net->id >= n)
		return -EINVAL;
	net->hello.nodes = n;
	net->listen_fd = -1;
	return 0;
}

/**
 * dsm_net_listen() - listen at this node's address
 * @net: the network
 *
 * Return: 0 or a negative errno.
 */
int dsm_net_listen(struct dsm_net *net)
{
	struct dsm_peer *me = &net->peer[net->id];
	int one = 1, fd;

	fd = socket(me->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&me->addr, me->addrlen) ||
	    listen(fd, 16)) {
		int err = -errno;

		close(fd);
		return err;
	}
	net->listen_fd = fd;
	return 0;
}

/**
 * dsm_net_now_ms() - the clock of the net layer's deadlines
 *
 * Return: milliseconds of CLOCK_MONOTONIC.
 */
int64_t dsm_net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait up to @ms for @fd to be ready for @events; 1, 0 on time-out, -errno. */
static int wait_fd(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&pfd, 1, ms < 0 ? 0 : ms);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

/* Read or write all @len bytes of a nonblocking socket within @ms. */
static int io_full(int fd, void *buf, size_t len, int ms, bool wr)
{
	int64_t deadline = dsm_net_now_ms() + ms;
	size_t done = 0;

	while (done < len) {
		ssize_t n = wr ? send(fd, (char *)buf + done, len - done,
				      MSG_NOSIGNAL) :
				 recv(fd, (char *)buf + done, len - done, 0);
		int w;

		if (n > 0) {
			done += n;
			continue;
		}
		if (!n)
			return -ECONNRESET;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		w = wait_fd(fd, wr ? POLLOUT : POLLIN, deadline - dsm_net_now_ms());
		if (w < 0)
			return w;
		if (!w)
			return -ETIMEDOUT;
	}
	return 0;
}

/*
 * Read the hello of a new connection and check it says what ours does;
 * the node it comes from, or -1 with @why set.
 */
static int read_hello(struct dsm_net *net, int fd, const char **why)
{
	uint8_t buf[DSM_WIRE_HDR + DSM_WIRE_HELLO_LEN];
	const uint8_t *payload = NULL;
	struct dsm_hello h;
	struct dsm_msg m;
	ssize_t len;
	int err;

	/* The header first: a connection that sends no frame goes at once. */
	err = io_full(fd, buf, DSM_WIRE_HDR, HELLO_MS, false);
	if (!err) {
		len = dsm_wire_parse(buf, DSM_WIRE_HDR, net->hello.page_size, &m,
				     &payload, why);
		if (len < 0)
			return -1;
		if (m.type != DSM_WIRE_HELLO) {
			*why = "the first frame is not a hello";
			return -1;
		}
		err = io_full(fd, buf + DSM_WIRE_HDR, DSM_WIRE_HELLO_LEN,
			      HELLO_MS, false);
	}
	if (err) {
		*why = err == -ETIMEDOUT ? "no hello in time" :
		       "the connection closed before its hello";
		return -1;
	}
	dsm_wire_parse(buf, sizeof(buf), net->hello.page_size, &m, &payload,
		       why);
	if (dsm_wire_read_hello(payload, &h) || h.version != DSM_WIRE_VERSION) {
		*why = "a hello of another version";
		return -1;
	}
	if (h.nodes != net->hello.nodes || h.page_size != net->hello.page_size ||
	    h.pages != net->hello.pages || h.manager != net->hello.manager ||
	    strcmp(h.region, net->hello.region)) {
		*why = "a hello for another configuration (nodes, region, its size or the manager)";
		return -1;
	}
	if (m.from >= net->hello.nodes || m.from == net->id) {
		*why = "a hello from a node out of the configuration";
		return -1;
	}
	return m.from;
}

static int send_hello(struct dsm_net *net, int fd)
{
	uint8_t buf[DSM_WIRE_HDR + DSM_WIRE_HELLO_LEN];

	dsm_wire_hello(buf, net->id, &net->hello);
	return io_full(fd, buf, sizeof(buf), HELLO_MS, true);
}

/* The bytes of a peer's input buffer: room for the longest frame. */
static size_t in_cap(const struct dsm_net *net)
{
	return DSM_WIRE_HDR + (net->hello.page_size > DSM_WIRE_HELLO_LEN ?
			     net->hello.page_size : DSM_WIRE_HELLO_LEN);
}

static int peer_up(struct dsm_net *net, unsigned int j, int fd)
{
	struct dsm_peer *p = &net->peer[j];
	int one = 1;

	p->in = malloc(in_cap(net));
	if (!p->in)
		return -ENOMEM;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	p->fd = fd;
	p->up = true;
	lognet(net, "peer %u connected", j);
	return 0;
}

static void peer_gone(struct dsm_net *net, unsigned int j, const char *why)
{
	struct dsm_peer *p = &net->peer[j];

	if (!p->up)
		return;
	/* After its bye, a peer's end is the stop, not a loss. */
	if (p->bye)
		lognet(net, "peer %u stopped", j);
	else
		lognet(net, "peer %u gone: %s", j, why);
	close(p->fd);
	p->fd = -1;
	p->up = false;
	p->shut = false;
	p->gone = !p->bye;
	free(p->in);
	free(p->out);
	p->in = NULL;
	p->out = NULL;
	p->in_len = 0;
	p->out_len = 0;
	p->out_off = 0;
	p->out_cap = 0;
}

/* A connection to the listening socket: a peer's, while one is missing. */
static void accept_one(struct dsm_net *net, bool setup)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	const char *why = NULL;
	char a[64];
	int fd, j = -1;

	fd = accept4(net->listen_fd, (struct sockaddr *)&from, &len,
		     SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	addr_str(&from, a, sizeof(a));
	if (!setup) {
		why = "every peer is connected or gone";
	} else {
		bool known = false;

		for (unsigned int i = net->id + 1; i < net->hello.nodes; i++)
			known |= !net->peer[i].up &&
				 same_host(&from, &net->peer[i].addr);
		if (!known)
			why = "not the address of a peer that dials this node";
	}
	if (!why) {
		j = read_hello(net, fd, &why);
		if (j >= 0 && ((unsigned int)j < net->id || net->peer[j].up ||
			       !same_host(&from, &net->peer[j].addr))) {
			why = "a hello from a node this address is not, or one connected";
			j = -1;
		}
	}
	if (j >= 0 && (send_hello(net, fd) || peer_up(net, j, fd))) {
		why = "the hello could not be answered";
		j = -1;
	}
	if (j < 0) {
		lognet(net, "refused a connection from %s: %s", a, why);
		close(fd);
	}
}

/* Dial node @j, lower than this one; 0 once it is up. */
static int dial(struct dsm_net *net, unsigned int j)
{
	struct dsm_peer *p = &net->peer[j];
	const char *why = NULL;
	int fd, w, from, err = 0;
	socklen_t el = sizeof(err);

	fd = socket(p->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&p->addr, p->addrlen) &&
	    errno != EINPROGRESS) {
		err = -errno;
		goto fail;
	}
	w = wait_fd(fd, POLLOUT, 1000);
	if (w <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) || err) {
		err = w < 0 ? w : -ECONNREFUSED;
		goto fail;
	}
	err = send_hello(net, fd);
	if (err)
		goto fail;
	from = read_hello(net, fd, &why);
	if (from != (int)j) {
		lognet(net, "node %u's address answered: %s", j,
		       why ? why : "a hello from another node");
		err = -EPROTO;
		goto fail;
	}
	err = peer_up(net, j, fd);
	if (!err)
		return 0;
fail:
	close(fd);
	return err;
}

/**
 * dsm_net_peers_up() - how many peers are connected
 * @net: the network
 *
 * Return: the number of connections up.
 */
unsigned int dsm_net_peers_up(const struct dsm_net *net)
{
	unsigned int n = 0;

	for (unsigned int j = 0; j < net->hello.nodes; j++)
		n += net->peer[j].up;
	return n;
}

/**
 * dsm_net_connect() - connect to every peer
 * @net: the network, listening
 * @wait_ms: how long to wait for all of them
 * @stop: a count a signal handler raises (atomically), to give up
 *
 * Dials the nodes below this one, again and again until each answers
 * with its hello, and takes the connections of those above it whose
 * hello checks out; other connections are refused and logged.
 *
 * Return: 0 once every peer is up, -ETIMEDOUT if one is not by then,
 * -EINTR once *@stop is set.
 */
int dsm_net_connect(struct dsm_net *net, int wait_ms,
		    const int *stop)
{
	int64_t deadline = dsm_net_now_ms() + wait_ms;

	while (dsm_net_peers_up(net) < net->hello.nodes - 1u) {
		if (__atomic_load_n(stop, __ATOMIC_RELAXED))
			return -EINTR;
		if (dsm_net_now_ms() > deadline) {
			for (unsigned int j = 0; j < net->hello.nodes; j++)
				if (j != net->id && !net->peer[j].up)
					lognet(net, "peer %u did not connect in time", j);
			return -ETIMEDOUT;
		}
		for (unsigned int j = 0; j < net->id; j++)
			if (!net->peer[j].up)
				dial(net, j);
		if (wait_fd(net->listen_fd, POLLIN, 200) > 0)
			accept_one(net, true);
	}
	return 0;
}

/* Write what waits for @j; a negative errno once it is gone. */
static int flush_out(struct dsm_net *net, unsigned int j)
{
	struct dsm_peer *p = &net->peer[j];

	while (p->out_off < p->out_len) {
		ssize_t n = send(p->fd, p->out + p->out_off,
				 p->out_len - p->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0) {
			peer_gone(net, j, strerror(n < 0 ? errno : EPIPE));
			return -EPIPE;
		}
		p->out_off += n;
	}
	p->out_off = 0;
	p->out_len = 0;
	return 0;
}

/**
 * dsm_net_peers_lost() - how many peers went without saying bye
 * @net: the network
 *
 * Return: the number of connections lost.
 */
unsigned int dsm_net_peers_lost(const struct dsm_net *net)
{
	unsigned int n = 0;

	for (unsigned int j = 0; j < net->hello.nodes; j++)
		n += net->peer[j].gone;
	return n;
}

/**
 * dsm_net_bye() - tell every peer up that this node is stopping
 * @net: the network
 */
void dsm_net_bye(struct dsm_net *net)
{
	struct dsm_msg m = { .type = DSM_WIRE_BYE, .from = net->id };

	for (unsigned int j = 0; j < net->hello.nodes; j++)
		if (net->peer[j].up)
			dsm_net_send(net, j, &m, NULL);
}

/**
 * dsm_net_all_bye() - whether every peer is stopping or gone
 * @net: the network
 *
 * Return: true once no peer up has yet to say DSM_WIRE_BYE.
 */
bool dsm_net_all_bye(const struct dsm_net *net)
{
	for (unsigned int j = 0; j < net->hello.nodes; j++)
		if (net->peer[j].up && !net->peer[j].bye)
			return false;
	return true;
}

/**
 * dsm_net_finish() - end the stop: write what is left, then close this
 *	end of each connection, and wait for the peers to close theirs
 * @net: the network, every peer stopping or gone (dsm_net_all_bye())
 *
 * A peer may still answer, after its DSM_WIRE_BYE, the requests it had
 * before this node's: so this node does not close a connection when the
 * last bye comes, but shuts its sending half once its frames are all
 * written (shutdown(SHUT_WR)) and goes on reading until the peer does
 * the same; what this node would send meanwhile is dropped. The caller
 * goes on calling dsm_net_service(), then this, until it returns true.
 *
 * Return: true once no peer is up: each has closed its end (a peer that
 * said bye is stopped, not lost) or was gone.
 */
bool dsm_net_finish(struct dsm_net *net)
{
	bool done = true;

	for (unsigned int j = 0; j < net->hello.nodes; j++) {
		struct dsm_peer *p = &net->peer[j];

		if (!p->up)
			continue;
		done = false;
		if (p->shut || flush_out(net, j) || p->out_off < p->out_len)
			continue;
		shutdown(p->fd, SHUT_WR);
		p->shut = true;
	}
	return done;
}

/**
 * dsm_net_send() - send a message to a peer
 * @net: the network
 * @to: the peer
 * @m: the message
 * @data: the page, for DSM_PAGE
 *
 * Queued and written as far as the connection takes it now; the rest
 * when dsm_net_service() finds the connection writable.
 *
 * Return: 0, -ENOTCONN if the peer is not up, -EPIPE if its connection
 * broke now or this end of it is closed (dsm_net_finish()), -ENOMEM.
 */
int dsm_net_send(struct dsm_net *net, unsigned int to,
		 const struct dsm_msg *m, const void *data)
{
	size_t len = m->type == DSM_PAGE ? net->hello.page_size : 0;
	struct dsm_peer *p;

	if (to >= net->hello.nodes || !net->peer[to].up)
		return -ENOTCONN;
	p = &net->peer[to];
	/* Stopped: this end is closed (dsm_net_finish()). */
	if (p->shut)
		return -EPIPE;
	if (p->out_len + DSM_WIRE_HDR + len > p->out_cap) {
		size_t cap = (p->out_len + DSM_WIRE_HDR + len) * 2;
		uint8_t *out = realloc(p->out, cap);

		if (!out)
			return -ENOMEM;
		p->out = out;
		p->out_cap = cap;
	}
	dsm_wire_header(p->out + p->out_len, m, len);
	if (len)
		memcpy(p->out + p->out_len + DSM_WIRE_HDR, data, len);
	p->out_len += DSM_WIRE_HDR + len;
	p->frames_out++;
	p->bytes_out += DSM_WIRE_HDR + len;
	return flush_out(net, to);
}

/**
 * dsm_net_pollfds() - what to poll for
 * @net: the network
 * @pfd: room for %DSM_NODES_MAX + 1 entries: the listening socket's,
 *	then a connection's for each peer up
 *
 * Return: the entries filled in.
 */
unsigned int dsm_net_pollfds(struct dsm_net *net, struct pollfd *pfd)
{
	unsigned int n = 0;

	pfd[n++] = (struct pollfd){ .fd = net->listen_fd, .events = POLLIN };
	for (unsigned int j = 0; j < net->hello.nodes; j++) {
		struct dsm_peer *p = &net->peer[j];

		if (!p->up)
			continue;
		pfd[n++] = (struct pollfd){
			.fd = p->fd,
			.events = POLLIN | (p->out_len ? POLLOUT : 0),
		};
	}
	return n;
}

/*
 * Read what @j sent and hand each whole frame to @deliver; a malformed
 * one, or one @deliver refuses, closes the connection.
 */
static void read_in(struct dsm_net *net, unsigned int j,
		    int (*deliver)(void *ctx,
				   const struct dsm_msg *m, const void *data),
		    void *ctx)
{
	struct dsm_peer *p = &net->peer[j];
	size_t cap = in_cap(net);

	while (p->up) {
		ssize_t n = recv(p->fd, p->in + p->in_len, cap - p->in_len,
				 MSG_DONTWAIT);
		size_t off = 0;

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			peer_gone(net, j, n < 0 ? strerror(errno) :
				  p->in_len ? "closed in the middle of a frame" :
					      "the connection closed");
			return;
		}
		p->in_len += n;
		while (p->up) {
			const uint8_t *payload = NULL;
			const char *why = NULL;
			char reason[160];
			struct dsm_msg m;
			ssize_t len;
			int err;

			len = dsm_wire_parse(p->in + off, p->in_len - off,
					     net->hello.page_size, &m, &payload,
					     &why);
			if (!len)
				break;
			if (len < 0) {
				snprintf(reason, sizeof(reason),
					 "a malformed frame: %s", why);
				peer_gone(net, j, reason);
				return;
			}
			if (m.type == DSM_WIRE_HELLO || m.from != j) {
				snprintf(reason, sizeof(reason), m.type == DSM_WIRE_HELLO ?
					 "a second hello" :
					 "a message that says it is from node %u",
					 m.from);
				peer_gone(net, j, reason);
				return;
			}
			p->frames_in++;
			if (m.type == DSM_WIRE_BYE) {
				if (!p->bye)
					lognet(net, "peer %u is stopping", j);
				p->bye = true;
				off += len;
				continue;
			}
			err = deliver(ctx, &m, payload);
			if (err) {
				snprintf(reason, sizeof(reason),
					 "%s for page %llu refused: %s",
					 dsm_msg_name(m.type),
					 (unsigned long long)m.index,
					 strerror(-err));
				peer_gone(net, j, reason);
				return;
			}
			off += len;
		}
		if (!p->up)
			return;
		memmove(p->in, p->in + off, p->in_len - off);
		p->in_len -= off;
	}
}

/**
 * dsm_net_service() - act on what poll() found
 * @net: the network
 * @pfd: the entries dsm_net_pollfds() filled in, polled
 * @npfd: how many
 * @deliver: hands a message from a peer to the engine: 0, or a negative
 *	errno that closes that peer's connection
 * @ctx: handed to @deliver
 *
 * Connections to the listening socket are refused now: every peer is
 * connected or gone.
 */
void dsm_net_service(struct dsm_net *net, const struct pollfd *pfd,
		     unsigned int npfd,
		     int (*deliver)(void *ctx,
				    const struct dsm_msg *m, const void *data),
		     void *ctx)
{
	if (npfd && (pfd[0].revents & POLLIN))
		accept_one(net, false);
	for (unsigned int i = 1; i < npfd; i++) {
		for (unsigned int j = 0; j < net->hello.nodes; j++) {
			struct dsm_peer *p = &net->peer[j];

			if (!p->up || p->fd != pfd[i].fd)
				continue;
			if (pfd[i].revents & POLLOUT)
				flush_out(net, j);
			if (p->up && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				read_in(net, j, deliver, ctx);
			break;
		}
	}
}

/**
 * dsm_net_close() - close every connection and the listening socket
 * @net: the network
 */
void dsm_net_close(struct dsm_net *net)
{
	for (unsigned int j = 0; j < net->hello.nodes; j++) {
		struct dsm_peer *p = &net->peer[j];

		if (p->fd >= 0)
			close(p->fd);
		free(p->in);
		free(p->out);
		p->in = NULL;
		p->out = NULL;
		p->fd = -1;
		p->up = false;
	}
	if (net->listen_fd >= 0)
		close(net->listen_fd);
	net->listen_fd = -1;
}
