/* SPDX-License-Identifier: MIT */
/* evcount: the one definition of the calls, failures and bytes every sink counts. */
#include "log/evcount.h"

#include <errno.h>

#include "log/evfield.h"

int evcount_failure(const struct ev *e, uint32_t *name)
{
	*name = 0;
	/*
	 * a -v record repeats its call, unless it is generic (the call's only
	 * event); a conn record tells the outcome of a connect already counted
	 */
	if ((e->type == EVT_SYSCALL && !evfield_bool(e, EVK_GENERIC)) || e->type == EVT_CONN)
		return 0;
	int err = evfield_errno(e, name);
	if (!err || evfield_restart_err(err) || (e->type == EVT_CONNECT && err == EINPROGRESS)) {
		*name = 0;
		return 0;
	}
	return err;
}

bool evcount_failed(const struct ev *e)
{
	uint32_t name;
	return evcount_failure(e, &name) != 0;
}

int evcount_rw_kind(const struct ev *e)
{
	switch (e->type) {
	case EVT_READ: return EVCOUNT_READ;
	case EVT_WRITE: return EVCOUNT_WRITE;
	case EVT_SEND: return EVCOUNT_SEND;
	case EVT_RECV: return EVCOUNT_RECV;
	default: return -1;
	}
}

bool evcount_rw_call(const struct ev *e)
{
	/* a restart code is neither a call that returned nor a failure */
	return evcount_rw_kind(e) >= 0 && !ev_find(e, EVK_ERR);
}

uint64_t evcount_calls(const struct ev *e)
{
	int64_t n;
	return evfield_num(e, EVK_CALLS, &n) && n > 1 ? (uint64_t)n : 1;
}

uint64_t evcount_bytes(const struct ev *e)
{
	int64_t v;
	if (ev_find(e, EVK_ERR) || !evfield_num(e, EVK_BYTES, &v) || v < 0)
		return 0;
	return (uint64_t)v;
}

void evcount_add(struct evcount_totals *t, const struct ev *e)
{
	if (evcount_failed(e))
		t->failed++;
	int k = evcount_rw_kind(e);
	if (k >= 0 && evcount_rw_call(e)) {
		t->calls[k] += evcount_calls(e);
		t->bytes[k] += evcount_bytes(e);
	}
}
