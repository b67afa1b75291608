/* SPDX-License-Identifier: MIT */
/* evfield: typed reads of one event's fields, shared by the sinks. */
#include "log/evfield.h"

bool evfield_num(const struct ev *e, unsigned key, int64_t *v)
{
	const struct ev_field *f = ev_find(e, key);
	if (!f || f->kind == EVF_STR || f->kind == EVF_STRV || f->kind == EVF_JSON ||
	    f->kind == EVF_DOUBLE)
		return false;
	*v = evf_i64(f);
	return true;
}

bool evfield_bool(const struct ev *e, unsigned key)
{
	int64_t v;
	return evfield_num(e, key, &v) && v;
}

uint32_t evfield_strid(const struct ev *e, unsigned key)
{
	const struct ev_field *f = ev_find(e, key);
	return f && f->kind == EVF_STR ? (uint32_t)evf_u64(f) : 0;
}

const char *evfield_str(const struct evlog *log, const struct ev *e, unsigned key, size_t *len)
{
	uint32_t id = evfield_strid(e, key);
	return id ? evlog_str(log, id, len) : NULL;
}

uint32_t evfield_strvid(const struct ev *e, unsigned key)
{
	const struct ev_field *f = ev_find(e, key);
	return f && f->kind == EVF_STRV ? (uint32_t)evf_u64(f) : 0;
}

const char *evfield_json(const struct evlog *log, const struct ev *e, unsigned key)
{
	const struct ev_field *f = ev_find(e, key);
	return f && f->kind == EVF_JSON ? evlog_str(log, (uint32_t)evf_u64(f), NULL) : NULL;
}

int evfield_errno(const struct ev *e, uint32_t *name)
{
	const struct ev_field *f = ev_find(e, EVK_ERR);
	*name = 0;
	if (!f)
		return 0;
	if (f->kind == EVF_STR) {
		*name = (uint32_t)evf_u64(f);
		return -1;
	}
	return (int)evf_i64(f);
}
