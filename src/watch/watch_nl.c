/* SPDX-License-Identifier: MIT */
/* watch_nl: every process exit from the kernel's taskstats multicast, on a thread. */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "watch/watch_int.h"
#include "lib/msg.h"

#define NL_QUEUE_MAX 65536
#define NL_RCVBUF (8 << 20)

struct watch_nl {
	int fd;
	int stop_pipe[2];
	uint16_t family;
	pthread_t thr;
	pthread_mutex_t mu;
	struct wexit_rec *q;
	size_t nq, capq;
	uint64_t lost;
};

struct nlreq {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[256];
};

static void add_attr(struct nlreq *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *na = (struct nlattr *)((char *)&r->n + NLMSG_ALIGN(r->n.nlmsg_len));
	na->nla_type = type;
	na->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((char *)na + NLA_HDRLEN, data, len);
	r->n.nlmsg_len += NLA_ALIGN(na->nla_len);
}

static int nl_send(int fd, uint16_t type, uint8_t cmd, uint16_t attr, const void *data, size_t len)
{
	struct nlreq r;
	memset(&r, 0, sizeof(r));
	r.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r.n.nlmsg_type = type;
	r.n.nlmsg_flags = NLM_F_REQUEST;
	r.n.nlmsg_pid = 0;
	r.g.cmd = cmd;
	r.g.version = 1;
	add_attr(&r, attr, data, len);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	if (sendto(fd, &r, r.n.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* Resolve the "TASKSTATS" generic netlink family id. */
static int family_id(int fd)
{
	int rc = nl_send(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME, TASKSTATS_GENL_NAME,
			 strlen(TASKSTATS_GENL_NAME) + 1);
	if (rc)
		return rc;
	char buf[4096];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 1000) <= 0)
		return -ETIMEDOUT;
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(h, (size_t)n))
		return -EPROTO;
	if (h->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = NLMSG_DATA(h);
		return e->error ? e->error : -EPROTO;
	}
	char *p0 = (char *)NLMSG_DATA(h) + GENL_HDRLEN;
	int left = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	while (left >= NLA_HDRLEN) {
		struct nlattr *na = (struct nlattr *)p0;
		if (na->nla_len < NLA_HDRLEN || na->nla_len > left)
			break;
		if (na->nla_type == CTRL_ATTR_FAMILY_ID && na->nla_len >= NLA_HDRLEN + 2)
			return *(uint16_t *)((char *)na + NLA_HDRLEN);
		p0 += NLA_ALIGN(na->nla_len);
		left -= NLA_ALIGN(na->nla_len);
	}
	return -ENOENT;
}

static void take_stats(struct watch_nl *nl, const struct taskstats *ts, size_t len, bool tgid_aggr)
{
	/* older kernels send shorter structs: only use what is there */
	if (len < offsetof(struct taskstats, ac_etime) + sizeof(ts->ac_etime))
		return;
	uint32_t tgid = ts->ac_pid;
	if (len >= offsetof(struct taskstats, ac_tgid) + sizeof(ts->ac_tgid) && ts->ac_tgid)
		tgid = ts->ac_tgid;
	/* a per-thread record of a non-leader thread is not a process exit */
	if (!tgid_aggr && tgid != ts->ac_pid)
		return;
	struct wexit_rec x = {0};
	x.pid = (int32_t)(tgid_aggr ? tgid : ts->ac_pid);
	x.ppid = (int32_t)ts->ac_ppid;
	x.uid = ts->ac_uid;
	x.code = (int32_t)ts->ac_exitcode;
	x.btime = ts->ac_btime;
	x.cpu_us = ts->ac_utime + ts->ac_stime;
	x.lifetime_us = ts->ac_etime;
	x.rss_peak_kb = ts->hiwater_rss;
	x.read_bytes = ts->read_bytes;
	x.write_bytes = ts->write_bytes;
	x.mono = now_ns();
	size_t cl = strnlen(ts->ac_comm, sizeof(ts->ac_comm));
	if (cl >= sizeof(x.comm))
		cl = sizeof(x.comm) - 1;
	memcpy(x.comm, ts->ac_comm, cl);
	pthread_mutex_lock(&nl->mu);
	if (nl->nq >= NL_QUEUE_MAX) {
		nl->lost++;
	} else {
		if (nl->nq == nl->capq) {
			nl->capq = nl->capq ? nl->capq * 2 : 256;
			nl->q = xreallocarray(nl->q, nl->capq, sizeof(*nl->q));
		}
		/* a multi-threaded group: its TGID aggregate replaces the leader's own record */
		if (tgid_aggr && nl->nq && nl->q[nl->nq - 1].pid == x.pid && nl->q[nl->nq - 1].mono + 1000000000ull > x.mono)
			nl->q[nl->nq - 1] = x;
		else
			nl->q[nl->nq++] = x;
	}
	pthread_mutex_unlock(&nl->mu);
}

/* Walk nested attributes of one message: AGGR_PID / AGGR_TGID { PID|TGID, STATS }. */
static void parse_msg(struct watch_nl *nl, struct nlmsghdr *h)
{
	char *p = (char *)NLMSG_DATA(h) + GENL_HDRLEN;
	int left = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	while (left >= NLA_HDRLEN) {
		struct nlattr *na = (struct nlattr *)p;
		if (na->nla_len < NLA_HDRLEN || na->nla_len > left)
			return;
		if (na->nla_type == TASKSTATS_TYPE_AGGR_PID || na->nla_type == TASKSTATS_TYPE_AGGR_TGID) {
			char *q = (char *)na + NLA_HDRLEN;
			int ql = na->nla_len - NLA_HDRLEN;
			while (ql >= NLA_HDRLEN) {
				struct nlattr *nb = (struct nlattr *)q;
				if (nb->nla_len < NLA_HDRLEN || nb->nla_len > ql)
					break;
				if (nb->nla_type == TASKSTATS_TYPE_STATS) {
					struct taskstats ts;
					size_t l = nb->nla_len - NLA_HDRLEN;
					memset(&ts, 0, sizeof(ts));
					memcpy(&ts, (char *)nb + NLA_HDRLEN, l < sizeof(ts) ? l : sizeof(ts));
					take_stats(nl, &ts, l, na->nla_type == TASKSTATS_TYPE_AGGR_TGID);
				}
				q += NLA_ALIGN(nb->nla_len);
				ql -= NLA_ALIGN(nb->nla_len);
			}
		}
		p += NLA_ALIGN(na->nla_len);
		left -= NLA_ALIGN(na->nla_len);
	}
}

static void *nl_thread(void *arg)
{
	struct watch_nl *nl = arg;
	char *buf = xmalloc(1 << 16);
	for (;;) {
		struct pollfd p[2] = { { .fd = nl->fd, .events = POLLIN }, { .fd = nl->stop_pipe[0], .events = POLLIN } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		ssize_t n = recv(nl->fd, buf, 1 << 16, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				/* the kernel dropped messages: count one loss (the real number is unknown) */
				pthread_mutex_lock(&nl->mu);
				nl->lost++;
				pthread_mutex_unlock(&nl->mu);
			}
			continue;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
			if (h->nlmsg_type == nl->family)
				parse_msg(nl, h);
	}
	free(buf);
	return NULL;
}

struct watch_nl *watch_nl_start(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		warnmsg("taskstats unavailable (%s): processes shorter than one interval will be missed", strerror(errno));
		return NULL;
	}
	int sz = NL_RCVBUF;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fam = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : family_id(fd);
	if (fam < 0) {
		warnmsg("taskstats unavailable (%s): processes shorter than one interval will be missed", strerror(-fam));
		close(fd);
		return NULL;
	}
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	char mask[32];
	snprintf(mask, sizeof(mask), "0-%ld", ncpu > 0 ? ncpu - 1 : 0);
	int rc = nl_send(fd, (uint16_t)fam, TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, mask, strlen(mask) + 1);
	if (!rc) {
		/* the kernel acks only on error; a refusal arrives as NLMSG_ERROR */
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char buf[1024];
		if (poll(&p, 1, 50) > 0) {
			ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_PEEK);
			struct nlmsghdr *h = (struct nlmsghdr *)buf;
			if (n > 0 && NLMSG_OK(h, (size_t)n) && h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				rc = e->error;
				(void)!recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			}
		}
	}
	if (rc) {
		warnmsg("taskstats exit events refused (%s): processes shorter than one interval will be missed",
			strerror(-rc));
		close(fd);
		return NULL;
	}
	struct watch_nl *nl = xcalloc(1, sizeof(*nl));
	nl->fd = fd;
	nl->family = (uint16_t)fam;
	pthread_mutex_init(&nl->mu, NULL);
	if (pipe2(nl->stop_pipe, O_CLOEXEC)) {
		warnmsg("taskstats: pipe: %s", strerror(errno));
		close(fd);
		free(nl);
		return NULL;
	}
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&nl->thr, NULL, nl_thread, nl);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		warnmsg("taskstats: cannot start a thread: %s", strerror(rc));
		close(fd);
		close(nl->stop_pipe[0]);
		close(nl->stop_pipe[1]);
		free(nl);
		return NULL;
	}
	/*
	 * The kernel sends exits to listeners of the initial network namespace
	 * only; elsewhere registration succeeds and nothing ever arrives. Prove
	 * delivery with one child of our own.
	 */
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	bool seen = false;
	if (child > 0) {
		waitpid(child, NULL, 0);
		for (int i = 0; i < 100 && !seen; i++) {
			pthread_mutex_lock(&nl->mu);
			for (size_t k = 0; k < nl->nq; k++)
				if (nl->q[k].pid == child) {
					nl->q[k] = nl->q[--nl->nq];
					seen = true;
					break;
				}
			pthread_mutex_unlock(&nl->mu);
			if (!seen)
				usleep(5000);
		}
	}
	if (!seen) {
		warnmsg("taskstats exit events do not arrive here (not the initial network namespace?): "
			"processes shorter than one interval will be missed");
		watch_nl_stop(nl);
		return NULL;
	}
	return nl;
}

size_t watch_nl_drain(struct watch_nl *nl, struct wexit_rec **out, size_t *cap, uint64_t *lost)
{
	if (!nl) {
		*lost = 0;
		return 0;
	}
	/*
	 * Swap the queue with the caller's buffer instead of copying: no
	 * allocation churn in the listener's arena, and at most two buffers of
	 * at most NL_QUEUE_MAX records exist.
	 */
	pthread_mutex_lock(&nl->mu);
	size_t n = nl->nq;
	struct wexit_rec *q = nl->q;
	size_t qcap = nl->capq;
	nl->q = *out;
	nl->capq = *cap;
	nl->nq = 0;
	*lost = nl->lost;
	pthread_mutex_unlock(&nl->mu);
	*out = q;
	*cap = qcap;
	/* a burst once must not pin its buffer for ever */
	if (qcap > 4096 && qcap > 4 * n) {
		size_t nc = n > 1024 ? 2 * n : 2048;
		*out = xreallocarray(*out, nc, sizeof(**out));
		*cap = nc;
	}
	return n;
}

void watch_nl_stop(struct watch_nl *nl)
{
	if (!nl)
		return;
	(void)!write(nl->stop_pipe[1], "x", 1);
	pthread_join(nl->thr, NULL);
	close(nl->stop_pipe[0]);
	close(nl->stop_pipe[1]);
	char mask[32];
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	snprintf(mask, sizeof(mask), "0-%ld", ncpu > 0 ? ncpu - 1 : 0);
	nl_send(nl->fd, nl->family, TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK, mask, strlen(mask) + 1);
	close(nl->fd);
	pthread_mutex_destroy(&nl->mu);
	free(nl->q);
	free(nl);
}
