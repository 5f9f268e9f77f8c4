/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network of `swaplab dsm serve`: the nodes named in its
 * configuration, one TCP connection between each two, and the frames the
 * protocol engine's messages (lib/dsm.h) travel in. The wire format:
 *
 *   a header of DSM_WIRE_HDR bytes, every field big-endian:
 *     u32 magic (DSM_WIRE_MAGIC)   u8 type   u8 flags   u16 from
 *     u16 requester   u16 zero   u32 length (of what follows)
 *     u64 index   u64 copyset
 *   then @length bytes: the page for DSM_PAGE (exactly the page size),
 *   the hello for DSM_WIRE_HELLO, nothing for any other type.
 *
 * Each connection starts with a hello each way, which must name the
 * node the address belongs to and agree on the region (its name, pages
 * and page size), the number of nodes and the manager (lib/dsm.h):
 *
 *   u16 version   u16 nodes   u32 page size   u64 pages
 *   the region's name, DSM_REGION_NAME_MAX bytes, NUL-padded
 *   u8 manager (&enum dsm_manager_kind)   7 zero bytes
 * The node with the higher
 * number dials the lower one. Once every peer is connected, any other
 * connection is refused; a peer whose connection closes stays gone.
 * Documentation/admin-guide/swaplab/dsm.rst.
 */
#ifndef SWAPLAB_LIB_DSM_NET_H
#define SWAPLAB_LIB_DSM_NET_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "lib/dsm.h"

#define DSM_WIRE_MAGIC		0x534c444dU	/* "SLDM" */
#define DSM_WIRE_VERSION	2
#define DSM_WIRE_HDR		32
#define DSM_WIRE_HELLO		0x40	/* the type of a connection's first frame */
#define DSM_WIRE_HELLO_LEN	88	/* the hello's bytes after the header */
#define DSM_WIRE_BYE		0x41	/* the sender is stopping; no payload */
#define DSM_REGION_NAME_MAX	64

/**
 * struct dsm_hello - what a connection's first frame says
 * @version: %DSM_WIRE_VERSION
 * @nodes: the number of nodes
 * @page_size: bytes a page
 * @pages: the region's pages
 * @region: the region's name, NUL-terminated
 * @manager: &enum dsm_manager_kind
 */
struct dsm_hello {
	uint16_t version;
	uint16_t nodes;
	uint32_t page_size;
	uint64_t pages;
	char region[DSM_REGION_NAME_MAX];
	uint8_t manager;
};

/* Frames: encode a header, parse one. */
void dsm_wire_header(uint8_t *buf, const struct dsm_msg *m, uint32_t length);
void dsm_wire_hello(uint8_t *buf, unsigned int from,
		    const struct dsm_hello *h);
ssize_t dsm_wire_parse(const uint8_t *buf, size_t len, size_t page_size,
		       struct dsm_msg *m, const uint8_t **payload,
		       const char **why);
int dsm_wire_read_hello(const uint8_t *payload, struct dsm_hello *h);

/* A peer's connection. */
struct dsm_peer {
	struct sockaddr_storage addr;	/* from the configuration */
	socklen_t addrlen;
	int fd;				/* -1 before it is up, and once gone */
	bool up, gone, bye;		/* gone: lost, with no DSM_WIRE_BYE */
	bool shut;			/* this end written to its end */
	uint8_t *in;			/* a frame being read */
	size_t in_len;
	uint8_t *out;			/* frames not yet written */
	size_t out_len, out_off, out_cap;
	uint64_t frames_in, frames_out, bytes_out;
};

/**
 * struct dsm_net - this node's end of the network
 * @id: this node
 * @hello: what every hello must say
 * @listen_fd: the socket peers dial, at this node's address
 * @peer: each node's connection (@peer[@id] is this node's address)
 * @log: a line about a connection, or NULL
 * @ctx: handed to @log
 */
struct dsm_net {
	unsigned int id;
	struct dsm_hello hello;
	int listen_fd;
	struct dsm_peer peer[DSM_NODES_MAX];
	void (*log)(void *ctx, const char *line);
	void *ctx;
};

int dsm_net_parse_peers(struct dsm_net *net, const char *list);
int dsm_net_listen(struct dsm_net *net);
int dsm_net_connect(struct dsm_net *net, int wait_ms,
		    const int *stop);
int dsm_net_send(struct dsm_net *net, unsigned int to,
		 const struct dsm_msg *m, const void *data);
unsigned int dsm_net_pollfds(struct dsm_net *net, struct pollfd *pfd);
void dsm_net_service(struct dsm_net *net, const struct pollfd *pfd,
		     unsigned int npfd,
		     int (*deliver)(void *ctx,
				    const struct dsm_msg *m, const void *data),
		     void *ctx);
unsigned int dsm_net_peers_up(const struct dsm_net *net);
unsigned int dsm_net_peers_lost(const struct dsm_net *net);
void dsm_net_bye(struct dsm_net *net);
bool dsm_net_all_bye(const struct dsm_net *net);
bool dsm_net_finish(struct dsm_net *net);
void dsm_net_close(struct dsm_net *net);
int64_t dsm_net_now_ms(void);

#endif /* SWAPLAB_LIB_DSM_NET_H */
