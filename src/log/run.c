/* SPDX-License-Identifier: MIT */
/* run: the outcome of a run, and its typed results written to JSON once. */
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "log/run.h"

int run_exit_status(const struct run *r)
{
	switch (r->end) {
	case RUN_EXITED:
	case RUN_FAILED:
		return r->code & 0xff;
	case RUN_SIGNALED:
		return 128 + r->sig;
	default:
		return 0;
	}
}

static const char *const region_names[RUN_FR_N] = {
	[RUN_FR_HEAP] = "heap",
	[RUN_FR_ANON] = "anon",
	[RUN_FR_FILE] = "file",
	[RUN_FR_STACK] = "stack",
	[RUN_FR_OTHER] = "other",
};

const char *run_fault_region_name(enum run_fault_region r)
{
	return (unsigned)r < RUN_FR_N ? region_names[r] : "other";
}

int run_fault_region_lookup(const char *name)
{
	for (int i = 0; i < RUN_FR_N; i++)
		if (!strcmp(region_names[i], name))
			return i;
	return -1;
}

void run_faults_json(struct buf *b, const struct run_faults *f)
{
	if (!f->present)
		return;
	json_key(b, "faults");
	buf_addc(b, '{');
	if (f->unavailable) {
		json_kcstr(b, "unavailable", f->unavailable);
		buf_addc(b, '}');
		return;
	}
	json_key(b, "total");
	json_u64(b, f->minor + f->major);
	json_key(b, "minor");
	json_u64(b, f->minor);
	json_key(b, "major");
	json_u64(b, f->major);
	for (unsigned r = 0; r < RUN_FR_N; r++) {
		json_key(b, region_names[r]);
		json_u64(b, f->region[r]);
	}
	json_key(b, "sampled");
	json_u64(b, f->sampled);
	json_key(b, "lost");
	json_u64(b, f->lost);
	json_key(b, "throttled");
	json_u64(b, f->throttled);
	if (f->sampling) {
		json_key(b, "sampling");
		json_cstr(b, f->sampling);
	}
	if (f->have_logged) {
		json_key(b, "logged");
		json_u64(b, f->logged);
	}
	if (f->ntop) {
		json_key(b, "top");
		buf_addc(b, '[');
		for (size_t i = 0; i < f->ntop; i++) {
			const struct run_fault_top *t = &f->top[i];
			json_sep(b);
			buf_addc(b, '{');
			json_key(b, "region");
			json_cstr(b, run_fault_region_name(t->region));
			json_kstr(b, "path", t->path, t->path_len);
			json_key(b, "count");
			json_u64(b, t->count);
			buf_addc(b, '}');
		}
		buf_addc(b, ']');
	}
	buf_addc(b, '}');
}

void run_free_results(struct run *r)
{
	free(r->sc64.rows);
	free(r->sc32.rows);
	r->sc64 = r->sc32 = (struct run_sc_table){0};
	for (size_t i = 0; i < r->faults.ntop; i++)
		free(r->faults.top[i].path);
	free(r->faults.top);
	free(r->faults.unavailable);
	r->faults = (struct run_faults){0};
	buf_free(&r->header_extra);
	buf_free(&r->end_extra);
	for (char **a = r->argv_read; a && *a; a++)
		free(*a);
	if (r->argv_read && r->argv == r->argv_read) {
		r->argv = NULL;
		r->argc = 0;
	}
	free(r->argv_read);
	r->argv_read = NULL;
}
