/* SPDX-License-Identifier: MIT */
/* report_meta: the report's meta JSON: run facts, the data layout, processes, threads, tracks, summary. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/json.h"
#include "lib/util.h"
#include "lib/xlat.h"
#include "sinks/report_int.h"

#define TOP_N 50 /* rows in the files / failures cards */

/* Make any JSON text safe inside <script>: escapes < > & U+2028 U+2029 anywhere. */
static void html_safe_json(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '<')
			buf_adds(out, "\\u003c");
		else if (c == '>')
			buf_adds(out, "\\u003e");
		else if (c == '&')
			buf_adds(out, "\\u0026");
		else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			buf_adds(out, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else
			buf_addc(out, (char)c);
	}
}

static int cmp_files(const void *a, const void *b)
{
	const struct report_file *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->path < y->path ? -1 : x->path > y->path;
}

static void build_meta(struct report_rep *R, struct buf *m, const char *warnings, const char *layout,
		       size_t raw_len, bool sorted)
{
	const struct run *r = R->r;
	bool red = false;
	char tmp[64];

	buf_addc(m, '{');
	json_key(m, "version");
	json_u64(m, 1);
	json_key(m, "mode");
	json_cstr(m, r->mode ? r->mode : "trace");
	json_key(m, "argv");
	buf_addc(m, '[');
	char **av = report_argv_redacted(r, R->redact, &red);
	struct buf d = {0};
	for (size_t i = 0; av[i]; i++) {
		/* the display form, as the tables show strings (report_disp_add) */
		buf_reset(&d);
		report_disp_add(&d, av[i], strlen(av[i]));
		json_sep(m);
		json_str(m, d.data ? d.data : "", d.len);
	}
	buf_free(&d);
	report_strv_free(av);
	buf_addc(m, ']');
	json_key(m, "argv_redacted");
	json_bool(m, red);
	json_key(m, "host");
	json_cstr(m, r->host);
	json_key(m, "kernel");
	json_cstr(m, r->kernel);
	json_key(m, "root_pid");
	json_i64(m, r->root_pid);
	struct timespec ts = evlog_start_realtime(R->log);
	json_key(m, "start_unix_ns");
	json_u64(m, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	struct tm tm;
	time_t secs = ts.tv_sec;
	if (ts.tv_sec && gmtime_r(&secs, &tm)) {
		strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_key(m, "start");
		json_cstr(m, tmp);
	}
	json_key(m, "t_end");
	json_u64(m, r->t_end);
	json_key(m, "end");
	static const char *const ends[] = {"running", "exited", "signaled", "detached", "gone", "failed"};
	json_cstr(m, (unsigned)r->end < ARRAY_SIZE(ends) ? ends[r->end] : "unknown");
	json_key(m, "code");
	json_i64(m, r->code);
	if (r->sig) {
		json_key(m, "signal");
		json_cstr(m, xlat_signal_label(r->sig, tmp));
	}
	json_key(m, "core");
	json_bool(m, r->core);
	json_key(m, "interrupted");
	json_bool(m, r->interrupted);
	json_key(m, "exit_status");
	json_i64(m, run_exit_status(r));
	json_key(m, "cpu_user");
	json_double(m, r->cpu_user);
	json_key(m, "cpu_sys");
	json_double(m, r->cpu_sys);
	if (r->header_extra.len) {
		json_key(m, "header_extra");
		buf_addc(m, '{');
		buf_add(m, r->header_extra.data, r->header_extra.len);
		buf_addc(m, '}');
	}
	if (r->faults.present || r->end_extra.len) {
		/* the typed --faults outcome, then the members no sink interprets */
		json_key(m, "end_extra");
		buf_addc(m, '{');
		run_faults_json(m, &r->faults);
		if (r->end_extra.len) {
			json_sep(m);
			buf_add(m, r->end_extra.data, r->end_extra.len);
		}
		buf_addc(m, '}');
	}
	json_key(m, "warnings");
	json_cstr(m, warnings);
	json_key(m, "redact");
	json_bool(m, R->redact);
	json_key(m, "nredacted");
	json_u64(m, R->nredacted + (red ? 1 : 0));
	json_key(m, "count");
	json_u64(m, R->nev);
	json_key(m, "sorted");
	json_bool(m, sorted);
	json_key(m, "nstrings");
	json_u64(m, R->st.n);
	json_key(m, "raw_len");
	json_u64(m, raw_len);
	json_key(m, "layout");
	buf_adds(m, layout);

	json_key(m, "cats");
	buf_addc(m, '[');
	for (unsigned c = 0; c < EVC__COUNT; c++) {
		json_sep(m);
		json_cstr(m, ev_cat_name(c));
	}
	buf_addc(m, ']');
	json_key(m, "cat_counts");
	buf_addc(m, '[');
	for (unsigned c = 0; c < EVC__COUNT; c++) {
		json_sep(m);
		json_u64(m, R->cat_counts[c]);
	}
	buf_addc(m, ']');
	json_key(m, "types");
	buf_addc(m, '[');
	for (size_t i = 0; i < R->ntypes; i++) {
		json_sep(m);
		buf_addc(m, '{');
		json_key(m, "name");
		json_cstr(m, ev_type_name(R->type_ids[i]));
		json_key(m, "cat");
		json_u64(m, ev_type_default_cat(R->type_ids[i]));
		json_key(m, "n");
		json_u64(m, R->type_counts[i]);
		buf_addc(m, '}');
	}
	buf_addc(m, ']');

	json_key(m, "procs");
	buf_addc(m, '[');
	for (size_t i = 0; i < R->nprocs; i++) {
		const struct report_proc *p = &R->procs[i];
		json_sep(m);
		buf_addc(m, '{');
		json_key(m, "pid");
		json_i64(m, p->pid);
		json_key(m, "ppid");
		json_i64(m, p->ppid);
		json_key(m, "name");
		json_u64(m, p->name);
		json_key(m, "first");
		json_u64(m, p->first == UINT64_MAX ? 0 : p->first);
		json_key(m, "last");
		json_u64(m, p->last);
		json_key(m, "n");
		json_u64(m, p->nev);
		json_key(m, "failed");
		json_u64(m, p->failed);
		json_key(m, "bytes_in");
		json_u64(m, p->bytes_r);
		json_key(m, "bytes_out");
		json_u64(m, p->bytes_w);
		if (p->exited) {
			json_key(m, "exit");
			if (p->signaled)
				json_cstr(m, xlat_signal_label(p->code, tmp));
			else
				json_i64(m, p->code);
		}
		json_key(m, "threads");
		buf_addc(m, '[');
		for (size_t k = 0; k < p->ntids; k++) {
			json_sep(m);
			json_i64(m, p->tids[k]);
		}
		buf_addc(m, ']');
		buf_addc(m, '}');
	}
	buf_addc(m, ']');

	json_key(m, "threads");
	buf_addc(m, '[');
	for (uint32_t k = 0; k < R->nthr; k++) {
		json_sep(m);
		buf_printf(m, "%d,%d", R->thr[2 * k], R->thr[2 * k + 1]);
	}
	buf_addc(m, ']');
	json_key(m, "series");
	buf_addc(m, '[');
	for (size_t i = 0; i < R->nseries; i++) {
		json_sep(m);
		buf_addc(m, '{');
		json_key(m, "pid");
		json_i64(m, R->series[i].pid);
		json_key(m, "type");
		json_cstr(m, ev_type_name(R->series[i].type));
		json_key(m, "key");
		json_cstr(m, ev_key_name(R->series[i].key));
		if (R->series[i].kind) {
			size_t kn;
			const char *ks = evlog_str(R->log, R->series[i].kind, &kn);
			json_key(m, "kind");
			json_str(m, ks, kn);
		}
		buf_addc(m, '}');
	}
	buf_addc(m, ']');

	json_key(m, "summary");
	buf_addc(m, '{');
#define SUM(name, v) do { json_key(m, name); json_u64(m, v); } while (0)
	SUM("bytes_read", R->bytes_read);
	SUM("bytes_written", R->bytes_written);
	SUM("reads", R->nread);
	SUM("writes", R->nwrite);
	SUM("bytes_sent", R->bytes_sent);
	SUM("bytes_received", R->bytes_recv);
	SUM("sends", R->nsend);
	SUM("recvs", R->nrecv);
	SUM("sockets", R->nsocket);
	SUM("connects", R->nconnect);
	SUM("mmaps", R->nmmap);
	SUM("mmap_bytes", R->mmap_bytes);
	SUM("munmap_bytes", R->munmap_bytes);
	SUM("brk_growth", R->brk_growth);
	/* the kernel's peak (exits' maxrss, the end record) over the sampled counters */
	SUM("peak_rss", r->peak_rss > R->peak_rss ? r->peak_rss : R->peak_rss);
	SUM("opens", R->nopen);
	SUM("files", R->nfiles);
	SUM("failed", R->nfailed);
	SUM("spawns", R->nspawn);
	SUM("execs", R->nexec);
	SUM("crashes", R->ncrash);
	SUM("triggers", R->ntrigger);
	SUM("processes", R->nprocs);
#undef SUM
	size_t nthreads = 0;
	for (size_t i = 0; i < R->nprocs; i++)
		nthreads += R->procs[i].ntids;
	json_key(m, "threads");
	json_u64(m, nthreads);
	if (R->nfiles) /* qsort(NULL, 0) is undefined behaviour */
		qsort(R->files, R->nfiles, sizeof(*R->files), cmp_files);
	json_key(m, "top_files");
	buf_addc(m, '[');
	for (size_t i = 0; i < R->nfiles && i < TOP_N; i++) {
		json_sep(m);
		buf_printf(m, "[%u,", R->files[i].path);
		json_u64(m, R->files[i].n);
		buf_addc(m, ',');
		json_u64(m, R->files[i].failed);
		buf_addc(m, ',');
		json_u64(m, R->files[i].bytes);
		buf_addc(m, ',');
		json_u64(m, R->files[i].reads);
		buf_addc(m, ',');
		json_u64(m, R->files[i].writes);
		buf_addc(m, ']');
	}
	buf_addc(m, ']');
	json_key(m, "errors");
	buf_addc(m, '[');
	for (int e = 1; e < (int)ARRAY_SIZE(R->err_counts); e++) {
		if (!R->err_counts[e])
			continue;
		json_sep(m);
		buf_printf(m, "[%d,", e);
		json_cstr(m, xlat_errno_label(e, tmp));
		buf_addc(m, ',');
		json_u64(m, R->err_counts[e]);
		buf_addc(m, ']');
	}
	buf_addc(m, ']');
	buf_addc(m, '}');
	/* the meaning of every errno the events name, for the details panel */
	json_key(m, "errtext");
	buf_addc(m, '{');
	for (int e = 1; e < (int)sizeof(R->err_seen); e++) {
		const char *text = R->err_seen[e] ? xlat_errno_text(e) : NULL;
		if (!text)
			continue;
		json_key(m, xlat_errno_label(e, tmp));
		json_cstr(m, text);
	}
	buf_addc(m, '}');
	buf_addc(m, '}');
}

void report_meta(struct report_rep *R, struct buf *out, const char *warnings, const char *layout,
		 size_t raw_len, bool sorted)
{
	struct buf meta = {0};
	build_meta(R, &meta, warnings, layout, raw_len, sorted);
	html_safe_json(out, meta.data, meta.len);
	buf_free(&meta);
}
