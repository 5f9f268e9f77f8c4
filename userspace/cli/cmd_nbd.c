// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab nbd: attach a Linux network block device to an NBD server, and
 * give a device that lost its server a new connection while swaplab
 * holds it open as its store.
 *
 *   swaplab nbd connect HOST PORT EXPORT DEVICE [--timeout S]
 *   swaplab nbd reconnect HOST PORT EXPORT DEVICE [--wait S]
 *   swaplab nbd disconnect DEVICE
 *
 * connect does what Debian's nbd-client does in its default netlink
 * mode: the protocol's fixed newstyle handshake (NBD_OPT_EXPORT_NAME),
 * then NBD_CMD_CONNECT with the socket, the export's size and flags, a
 * 4 KiB block size and a request timeout. A device connected either way
 * can be reconnected: when the server dies or stalls past the timeout,
 * the kernel's nbd marks the connection dead and fails every request
 * with EIO (the faults on pages that only the store holds get SIGBUS),
 * but keeps the device and its size while it is open. nbd-client cannot
 * hand such a device a new connection (a second connect finds it in use,
 * -persist tries a second connect); reconnect makes the handshake again
 * and swaps the new socket in with NBD_CMD_RECONFIGURE, so that the same
 * device, still open as swaplab's store, serves its slots again. It
 * refuses a server whose export has another size than the device.
 *
 * The netlink is spoken raw (no libnl): a generic netlink family lookup
 * and one request with its acknowledgment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <endian.h>
#include <linux/genetlink.h>
#include <linux/nbd-netlink.h>
#include <linux/nbd.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "cli/cmd.h"
#include "lib/knobs.h"
#include "lib/sysfs.h"

/* The handshake's magic numbers (the NBD protocol, doc/proto.md). */
#define NBD_INIT_MAGIC		0x4e42444d41474943ull	/* "NBDMAGIC" */
#define NBD_OPTS_MAGIC		0x49484156454f5054ull	/* "IHAVEOPT" */
#define NBD_FLAG_FIXED_NEWSTYLE	0x1
#define NBD_FLAG_NO_ZEROES	0x2
#define NBD_OPT_EXPORT_NAME	1
/* How long the server may take to answer a step of the handshake. */
#define NBD_HANDSHAKE_SECONDS	30
/* The longest export name sent: the protocol allows 4096 bytes. */
#define NBD_NAME_MAX		4096

static void usage_nbd(FILE *f)
{
	fprintf(f,
		"usage: swaplab nbd connect HOST PORT EXPORT DEVICE [--timeout S]\n"
		"       swaplab nbd reconnect HOST PORT EXPORT DEVICE [--wait S]\n"
		"       swaplab nbd watch HOST PORT EXPORT DEVICE\n"
		"       swaplab nbd disconnect DEVICE\n"
		"  connect:    handshake with the NBD server and attach DEVICE\n"
		"              (/dev/nbdN) to EXPORT; requests that take longer\n"
		"              than S seconds (default 30) fail, and the\n"
		"              connection is then dead\n"
		"  reconnect:  give DEVICE, whose connection is dead, a new one to\n"
		"              the same export, trying for up to S seconds\n"
		"              (default 0: once); the device may be open (swaplab's\n"
		"              store)\n"
		"  watch:      stay, and reconnect DEVICE each time the kernel says\n"
		"              its connection died, as soon as the server answers\n"
		"  disconnect: detach DEVICE from its server\n");
}

/* Read exactly @len bytes; 0 or -1 (errno set; EPIPE at end of file). */
static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EPIPE;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* A TCP connection to HOST:PORT, or -1 with a message. */
static int nbd_dial(const char *host, const char *port, bool quiet)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
	}, *res, *ai;
	struct timeval tv = { .tv_sec = NBD_HANDSHAKE_SECONDS };
	int fd = -1, err, one = 1;

	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		fprintf(stderr, "swaplab: nbd: %s port %s: %s\n", host, port,
			gai_strerror(err));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0)
			continue;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		err = errno;
		close(fd);
		fd = -1;
		errno = err;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		if (!quiet)
			fprintf(stderr, "swaplab: nbd: connect to %s port %s: %s\n",
				host, port, strerror(errno));
		return -1;
	}
	/* Requests are small and the kernel waits for each reply. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* A server that takes the connection and never answers: give up. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/*
 * The fixed newstyle handshake for @export on a connected @fd: the
 * export's size and transmission flags. 0, or -1 with a message.
 */
static int nbd_handshake(int fd, const char *export, uint64_t *size,
			 uint16_t *flags, bool quiet)
{
	/* The protocol's fields are big-endian and unaligned: bytes. */
	unsigned char hello[18], opt[16], info[10], zeroes[124];
	uint64_t magic;
	uint32_t word;
	uint16_t half;

	if (read_full(fd, hello, sizeof(hello)))
		goto io;
	memcpy(&magic, hello, 8);
	if (be64toh(magic) != NBD_INIT_MAGIC)
		goto old;
	memcpy(&magic, hello + 8, 8);
	if (be64toh(magic) != NBD_OPTS_MAGIC)
		goto old;
	memcpy(&half, hello + 16, 2);
	half = be16toh(half);
	if (!(half & NBD_FLAG_FIXED_NEWSTYLE)) {
		if (!quiet)
			fprintf(stderr, "swaplab: nbd: the server does not speak fixed newstyle\n");
		return -1;
	}
	magic = htobe64(NBD_OPTS_MAGIC);
	memcpy(opt, &magic, 8);
	word = htobe32(NBD_OPT_EXPORT_NAME);
	memcpy(opt + 8, &word, 4);
	word = htobe32(strlen(export));
	memcpy(opt + 12, &word, 4);
	/* The client's flags: those of the server's that we know. */
	word = htobe32(NBD_FLAG_FIXED_NEWSTYLE | (half & NBD_FLAG_NO_ZEROES));
	if (write_full(fd, &word, sizeof(word)) ||
	    write_full(fd, opt, sizeof(opt)) ||
	    write_full(fd, export, strlen(export)))
		goto io;
	/* A server without the export closes the connection here. */
	if (read_full(fd, info, sizeof(info))) {
		if (errno == EPIPE) {
			if (!quiet)
				fprintf(stderr, "swaplab: nbd: the server has no export '%s'\n",
					export);
			return -1;
		}
		goto io;
	}
	if (!(half & NBD_FLAG_NO_ZEROES) &&
	    read_full(fd, zeroes, sizeof(zeroes)))
		goto io;
	memcpy(&magic, info, 8);
	*size = be64toh(magic);
	memcpy(flags, info + 8, 2);
	*flags = be16toh(*flags);
	return 0;
old:
	if (!quiet)
		fprintf(stderr, "swaplab: nbd: not a newstyle NBD server\n");
	return -1;
io:
	if (!quiet)
		fprintf(stderr, "swaplab: nbd: handshake: %s\n",
			strerror(errno));
	return -1;
}

/* The index N of /dev/nbdN, or -1. */
static int nbd_index(const char *dev)
{
	const char *base = strrchr(dev, '/');
	char *end;
	long n;

	base = base ? base + 1 : dev;
	if (strncmp(base, "nbd", 3) || !base[3])
		return -1;
	n = strtol(base + 3, &end, 10);
	return *end || n < 0 || n > INT32_MAX ? -1 : (int)n;
}

/* A netlink request being built: the header, then attributes. */
struct nl_req {
	union {
		struct nlmsghdr h;
		char buf[512];
	};
};

static struct nlattr *nl_put(struct nl_req *r, uint16_t type,
			     const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->h.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void nl_put_u32(struct nl_req *r, uint16_t type, uint32_t v)
{
	nl_put(r, type, &v, sizeof(v));
}

static void nl_put_u64(struct nl_req *r, uint16_t type, uint64_t v)
{
	nl_put(r, type, &v, sizeof(v));
}

/* Close a nested attribute @a opened with nl_put(r, type, NULL, 0). */
static void nl_nest_end(struct nl_req *r, struct nlattr *a)
{
	a->nla_len = r->buf + r->h.nlmsg_len - (char *)a;
}

static void nl_start(struct nl_req *r, uint16_t family, uint8_t cmd)
{
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->h.nlmsg_type = family;
	r->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->h.nlmsg_seq = 1;
	memcpy(NLMSG_DATA(&r->h), &g, sizeof(g));
}

/* The attribute of @type among @len bytes of attributes at @at, or NULL. */
static const struct nlattr *nl_find(const void *at, int len, uint16_t type)
{
	const struct nlattr *a = at;

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static const void *nla_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int nla_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* What a CTRL_CMD_GETFAMILY answer says of the nbd family. */
struct nbd_family {
	uint16_t id;
	uint32_t mcast;		/* its multicast group, 0 if none */
};

/* Read @fam's fields out of the attributes of a GETFAMILY answer. */
static void nl_family(const struct nlmsghdr *h, struct nbd_family *fam)
{
	const void *at = (const char *)NLMSG_DATA(h) + GENL_HDRLEN;
	int len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	const struct nlattr *a, *grp, *name, *id;

	a = nl_find(at, len, CTRL_ATTR_FAMILY_ID);
	if (a && nla_len(a) >= (int)sizeof(fam->id))
		memcpy(&fam->id, nla_data(a), sizeof(fam->id));
	a = nl_find(at, len, CTRL_ATTR_MCAST_GROUPS);
	if (!a)
		return;
	/* Nested: one nested item a group, each with a name and an id. */
	at = nla_data(a);
	len = nla_len(a);
	for (grp = at; len >= NLA_HDRLEN && grp->nla_len >= NLA_HDRLEN &&
	     grp->nla_len <= len;
	     len -= NLA_ALIGN(grp->nla_len),
	     grp = (const struct nlattr *)((const char *)grp +
					   NLA_ALIGN(grp->nla_len))) {
		name = nl_find(nla_data(grp), nla_len(grp),
			       CTRL_ATTR_MCAST_GRP_NAME);
		id = nl_find(nla_data(grp), nla_len(grp),
			     CTRL_ATTR_MCAST_GRP_ID);
		if (name && id && nla_len(id) >= (int)sizeof(fam->mcast) &&
		    !strncmp(nla_data(name), NBD_GENL_MCAST_GROUP_NAME,
			     nla_len(name)))
			memcpy(&fam->mcast, nla_data(id), sizeof(fam->mcast));
	}
}

/*
 * Send @r and read the answers up to its acknowledgment. With @fam set,
 * what a CTRL_CMD_GETFAMILY answer says goes there. 0, or a negative
 * errno.
 */
static int nl_talk(int fd, struct nl_req *r, struct nbd_family *fam)
{
	char buf[8192];
	ssize_t n;

	if (send(fd, r->buf, r->h.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EPIPE;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (fam && h->nlmsg_type == GENL_ID_CTRL)
				nl_family(h, fam);
		}
	}
}

/* A generic netlink socket and what the nbd family is; fd or -1. */
static int nbd_genl_open(struct nbd_family *fam)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nl_req r;
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("swaplab: nbd: netlink");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	nl_start(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	nl_put(&r, CTRL_ATTR_FAMILY_NAME, NBD_GENL_FAMILY_NAME,
	       sizeof(NBD_GENL_FAMILY_NAME));
	memset(fam, 0, sizeof(*fam));
	err = nl_talk(fd, &r, fam);
	if (err || !fam->id) {
		fprintf(stderr, "swaplab: nbd: the kernel has no nbd netlink family (modprobe nbd)%s%s\n",
			err ? ": " : "", err ? strerror(-err) : "");
		close(fd);
		return -1;
	}
	return fd;
}

/* Put the socket @sock into @r as NBD_ATTR_SOCKETS. */
static void nbd_put_socket(struct nl_req *r, int sock)
{
	struct nlattr *socks = nl_put(r, NBD_ATTR_SOCKETS | NLA_F_NESTED,
				      NULL, 0);
	struct nlattr *item = nl_put(r, NBD_SOCK_ITEM | NLA_F_NESTED, NULL, 0);

	nl_put_u32(r, NBD_SOCK_FD, sock);
	nl_nest_end(r, item);
	nl_nest_end(r, socks);
}

/* Bytes of /dev/nbd@index as the kernel has it, or -1. */
static long long nbd_dev_bytes(int index)
{
	char path[64], buf[32];

	snprintf(path, sizeof(path), "/sys/block/nbd%d/size", index);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 10) * 512;
}

static int nbd_send(uint8_t cmd, int index, int sock, uint64_t size,
		    uint16_t flags, uint64_t timeout)
{
	static const char * const what[] = {
		[NBD_CMD_CONNECT] = "connect",
		[NBD_CMD_DISCONNECT] = "disconnect",
		[NBD_CMD_RECONFIGURE] = "reconnect",
	};
	struct nbd_family fam;
	struct nl_req r;
	int fd, err;

	fd = nbd_genl_open(&fam);
	if (fd < 0)
		return 1;
	nl_start(&r, fam.id, cmd);
	nl_put_u32(&r, NBD_ATTR_INDEX, index);
	if (cmd == NBD_CMD_CONNECT) {
		nl_put_u64(&r, NBD_ATTR_SIZE_BYTES, size);
		nl_put_u64(&r, NBD_ATTR_BLOCK_SIZE_BYTES, 4096);
		nl_put_u64(&r, NBD_ATTR_TIMEOUT, timeout);
		nl_put_u64(&r, NBD_ATTR_SERVER_FLAGS, flags);
	}
	if (sock >= 0)
		nbd_put_socket(&r, sock);
	err = nl_talk(fd, &r, NULL);
	close(fd);
	if (err) {
		fprintf(stderr, "swaplab: nbd: %s /dev/nbd%d: %s%s\n", what[cmd],
			index, strerror(-err),
			err == -EBUSY ? " (in use: connected already?)" :
			err == -EINVAL && cmd == NBD_CMD_RECONFIGURE ?
			" (not connected through netlink, or no dead connection to replace)" : "");
		return 1;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A handshaken socket to the export; with @wait, the connection and the
 * handshake retried until then, the last failure said.
 */
static int nbd_open_export(const char *host, const char *port,
			   const char *export, double wait, uint64_t *size,
			   uint16_t *flags)
{
	double end = now_s() + wait;
	int sock;

	for (;;) {
		bool last = now_s() >= end;

		sock = nbd_dial(host, port, !last);
		if (sock >= 0) {
			if (!nbd_handshake(sock, export, size, flags, !last)) {
				struct timeval none = { 0 };

				/* The kernel's nbd waits as its timeout says. */
				setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &none,
					   sizeof(none));
				setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &none,
					   sizeof(none));
				return sock;
			}
			/* A server starting, or going: try again till then. */
			close(sock);
		}
		if (last)
			return -1;
		usleep(200000);
	}
}

/* Where to reach the export: the command's HOST PORT EXPORT DEVICE. */
struct nbd_target {
	const char *host, *port, *export, *dev;
	int index;
};

/*
 * Does @dev's connection answer? A read of its first page, O_DIRECT:
 * 1 if it came back, 0 if it failed with EIO (the connection is dead),
 * -1 if the device cannot be read at all. The kernel's status command
 * cannot tell: it says "connected" of a device that is configured, and
 * a reconfiguration with no dead connection to replace succeeds, doing
 * nothing, so that only this tells a live connection from a dead one.
 */
static int nbd_dev_alive(const char *dev)
{
	void *buf = NULL;
	int fd, alive = -1;

	fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd >= 0 && !posix_memalign(&buf, 4096, 4096))
		alive = pread(fd, buf, 4096, 0) == 4096 ? 1 :
			errno == EIO ? 0 : -1;
	if (alive < 0)
		fprintf(stderr, "swaplab: nbd: %s: %s\n", dev, strerror(errno));
	free(buf);
	if (fd >= 0)
		close(fd);
	return alive;
}

/*
 * Handshake with @t's export (retrying for up to @wait seconds) and
 * attach the socket to its device: NBD_CMD_CONNECT, or, with @reconnect,
 * NBD_CMD_RECONFIGURE in place of a dead connection (refused when the
 * export's size is not the device's). 0, or 1 with a message.
 */
static int nbd_attach(const struct nbd_target *t, bool reconnect,
		      unsigned long timeout, double wait)
{
	uint64_t size;
	uint16_t flags;
	long long have;
	int sock, rc;

	sock = nbd_open_export(t->host, t->port, t->export, wait, &size,
			       &flags);
	if (sock < 0)
		return 1;
	if (!reconnect) {
		rc = nbd_send(NBD_CMD_CONNECT, t->index, sock, size, flags,
			      timeout);
	} else {
		have = nbd_dev_bytes(t->index);
		if (have >= 0 && (uint64_t)have != size) {
			fprintf(stderr, "swaplab: nbd: the export has %" PRIu64 " bytes, /dev/nbd%d %lld: not the same export\n",
				size, t->index, have);
			rc = 1;
		} else {
			rc = nbd_send(NBD_CMD_RECONFIGURE, t->index, sock, 0, 0,
				      0);
		}
	}
	/* The kernel holds its own reference to the socket. */
	close(sock);
	if (!rc) {
		printf("/dev/nbd%d: %s to %s port %s, export %s, %" PRIu64 " bytes\n",
		       t->index, reconnect ? "reconnected" : "connected",
		       t->host, t->port, t->export, size);
		fflush(stdout);
	}
	return rc;
}

/* Did the datagram @buf (@n bytes) say that @index's connection died? */
static bool nbd_link_dead(const char *buf, ssize_t n, uint16_t family,
			  int index)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;

	for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
		const struct genlmsghdr *g = NLMSG_DATA(h);
		const struct nlattr *a;
		uint32_t i;

		if (h->nlmsg_type != family || g->cmd != NBD_CMD_LINK_DEAD)
			continue;
		a = nl_find((const char *)g + GENL_HDRLEN,
			    h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
			    NBD_ATTR_INDEX);
		if (!a || nla_len(a) < (int)sizeof(i))
			continue;
		memcpy(&i, nla_data(a), sizeof(i));
		if ((int)i == index)
			return true;
	}
	return false;
}

/*
 * Stay, and give @t's device a new connection each time the kernel says
 * its connection died (NBD_CMD_LINK_DEAD on nbd's multicast group),
 * trying until the server answers again. Ends at SIGINT, SIGTERM or
 * SIGHUP.
 */
static int nbd_watch(const struct nbd_target *t)
{
	struct nbd_family fam;
	char buf[8192];
	bool dead;
	ssize_t n;
	int fd;

	fd = nbd_genl_open(&fam);
	if (fd < 0)
		return 1;
	if (!fam.mcast ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &fam.mcast,
		       sizeof(fam.mcast))) {
		fprintf(stderr, "swaplab: nbd: cannot listen to nbd's events%s%s\n",
			fam.mcast ? ": " : "", fam.mcast ? strerror(errno) : "");
		close(fd);
		return 1;
	}
	/* Caught without SA_RESTART: a signal ends the wait for an event. */
	knobs_catch_signals();
	printf("/dev/nbd%d: watching its connection to %s port %s\n",
	       t->index, t->host, t->port);
	fflush(stdout);
	while (!knobs_stop_signal()) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		/* Events were lost: one of them may have been ours. */
		dead = n < 0 && errno == ENOBUFS;
		if (n < 0 && !dead) {
			perror("swaplab: nbd: netlink");
			close(fd);
			return 1;
		}
		if (!dead && !nbd_link_dead(buf, n, fam.id, t->index))
			continue;
		while (!knobs_stop_signal() && nbd_attach(t, true, 0, 5))
			usleep(500000);
	}
	close(fd);
	return 0;
}

int cmd_nbd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long timeout = 30, wait = 0;
	bool bad = false, has_timeout = false, has_wait = false;
	struct nbd_target t;
	const char *sub;
	int opt, index;
	char *end;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			timeout = strtoul(optarg, &end, 10);
			bad |= *end || !*optarg || !timeout || timeout > 3600;
			has_timeout = true;
			break;
		case 'w':
			wait = strtoul(optarg, &end, 10);
			bad |= *end || !*optarg || wait > 3600;
			has_wait = true;
			break;
		case 'h':
			usage_nbd(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	sub = optind < argc ? argv[optind] : "";
	if (!strcmp(sub, "disconnect"))
		bad |= argc - optind != 2 || has_timeout || has_wait;
	else if (!strcmp(sub, "connect"))
		bad |= argc - optind != 5 || has_wait;
	else if (!strcmp(sub, "reconnect"))
		bad |= argc - optind != 5 || has_timeout;
	else if (!strcmp(sub, "watch"))
		bad |= argc - optind != 5 || has_timeout || has_wait;
	else
		bad = true;
	index = bad ? -1 : nbd_index(argv[argc - 1]);
	if (bad || index < 0 ||
	    (strcmp(sub, "disconnect") &&
	     strlen(argv[optind + 3]) > NBD_NAME_MAX)) {
		usage_nbd(stderr);
		return 2;
	}
	if (!strcmp(sub, "disconnect"))
		return nbd_send(NBD_CMD_DISCONNECT, index, -1, 0, 0, 0);

	t.host = argv[optind + 1];
	t.port = argv[optind + 2];
	t.export = argv[optind + 3];
	t.dev = argv[argc - 1];
	t.index = index;
	if (!strcmp(sub, "watch"))
		return nbd_watch(&t);
	if (!strcmp(sub, "reconnect")) {
		int alive = nbd_dev_alive(t.dev);

		if (alive) {
			if (alive > 0)
				fprintf(stderr, "swaplab: nbd: %s: its connection is alive: nothing to replace\n",
					t.dev);
			return 1;
		}
	}
	return nbd_attach(&t, !strcmp(sub, "reconnect"), timeout, wait);
}
