/* SPDX-License-Identifier: MIT */
/*
 * report_zpool: raw deflate of the report's data pieces on worker threads,
 * joined into one gzip member in data order.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/util.h"
#include "sinks/report_int.h"

/*
 * Compression runs on worker threads while the events are still being
 * turned into columns. The raw data is a sequence of sections (columns as
 * byte planes, then the string table); each goes out in jobs: a piece of
 * one plane (REPORT_ZROWS events, queued as soon as those events are done), a
 * piece of the string table, or a whole small section. Every job is an
 * independent raw deflate ending in a sync flush (byte-aligned, not final),
 * so the outputs concatenate in raw order into one deflate stream, as pigz
 * does; an empty final block ends it. The cuts depend only on the data, so
 * the file does not depend on timing.
 */
struct report_zpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct report_zjob **jobs;
	size_t njobs, cap, next;
	bool closing;
	pthread_t th[3];
	int nth;
	/* the output for pieces of n zero bytes (high planes of small values) */
	struct zeros {
		size_t n;
		uLong crc;
		struct buf out;
	} zeros[4];
	size_t nzeros;
};

/* One thread's deflate state and input buffer, reused from job to job. */
struct zworker {
	z_stream z;
	bool init;
	struct buf in;
};

/* Byte p of each of m values esz bytes apart (the stride is a constant in each loop). */
static void plane_copy(unsigned char *o, const unsigned char *s, size_t m, size_t esz)
{
	switch (esz) {
	case 1:
		memcpy(o, s, m);
		break;
	case 2:
		for (size_t i = 0; i < m; i++)
			o[i] = s[2 * i];
		break;
	case 4:
		for (size_t i = 0; i < m; i++)
			o[i] = s[4 * i];
		break;
	default:
		for (size_t i = 0; i < m; i++)
			o[i] = s[i * esz];
		break;
	}
}

static bool all_zero(const unsigned char *p, size_t n)
{
	uint64_t acc = 0;
	size_t i = 0;
	for (; i + 256 <= n && !acc; i += 256)
		for (size_t k = 0; k < 256; k += 8) {
			uint64_t w;
			memcpy(&w, p + i + k, 8);
			acc |= w;
		}
	for (; i < n && !acc; i++)
		acc |= p[i];
	return !acc;
}

/*
 * Z_RLE only pays where the same byte mostly repeats; on planes with some
 * noise (the low bytes of times, sizes, ids) Huffman coding alone was
 * smaller and 10-25% faster here. Every 16th byte is a good enough sample.
 */
static int plane_strategy(const unsigned char *p, size_t n)
{
	size_t runs = 0, seen = 0;
	for (size_t i = 2; i < n; i += 16, seen++)
		runs += p[i] == p[i - 1] && p[i] == p[i - 2];
	return runs * 5 < seen * 3 ? Z_HUFFMAN_ONLY : Z_RLE;
}

static bool zeros_get(struct report_zpool *zp, size_t n, struct buf *out, uLong *crc)
{
	bool hit = false;
	pthread_mutex_lock(&zp->mu);
	for (size_t i = 0; i < zp->nzeros && !hit; i++)
		if (zp->zeros[i].n == n) {
			buf_add(out, zp->zeros[i].out.data, zp->zeros[i].out.len);
			*crc = zp->zeros[i].crc;
			hit = true;
		}
	pthread_mutex_unlock(&zp->mu);
	return hit;
}

static void zeros_put(struct report_zpool *zp, size_t n, const struct buf *out, uLong crc)
{
	pthread_mutex_lock(&zp->mu);
	bool have = false;
	for (size_t i = 0; i < zp->nzeros; i++)
		have = have || zp->zeros[i].n == n;
	if (!have && zp->nzeros < ARRAY_SIZE(zp->zeros)) {
		struct zeros *z = &zp->zeros[zp->nzeros++];
		z->n = n;
		z->crc = crc;
		memset(&z->out, 0, sizeof(z->out));
		buf_add(&z->out, out->data, out->len);
	}
	pthread_mutex_unlock(&zp->mu);
}

static void zjob_run(struct report_zpool *zp, struct report_zjob *j, struct zworker *w)
{
	const unsigned char *in = j->src;
	bool zeros = false;
	j->rc = -EIO;
	if (j->esz) {
		buf_reserve(&w->in, j->n);
		unsigned char *o = (unsigned char *)w->in.data;
		for (unsigned p = j->p0; p < j->p1; p++, o += j->m)
			plane_copy(o, j->src + p, j->m, j->esz);
		memset(o, 0, j->pad);
		in = (const unsigned char *)w->in.data;
		if (j->strategy == Z_RLE && !j->last) {
			/* a fresh deflate of the same bytes gives the same output */
			zeros = all_zero(in, j->n);
			if (zeros && zeros_get(zp, j->n, &j->out, &j->crc)) {
				j->rc = 0;
				return;
			}
			if (!zeros)
				j->strategy = plane_strategy(in, j->n);
		}
	}
	z_stream *z = &w->z;
	if (!w->init) {
		if (deflateInit2(z, 1, Z_DEFLATED, -15, 9, j->strategy) != Z_OK)
			return;
		w->init = true;
	} else if (deflateReset(z) != Z_OK || deflateParams(z, 1, j->strategy) != Z_OK) {
		return;
	}
	int flush = j->last ? Z_FINISH : Z_SYNC_FLUSH;
	z->next_in = (Bytef *)(j->n ? in : (const unsigned char *)"");
	z->avail_in = (uInt)j->n;
	for (;;) {
		/* deflateBound covers the data; the flush marker and final block need a few bytes more */
		buf_reserve(&j->out, deflateBound(z, z->avail_in) + 64);
		z->next_out = (Bytef *)j->out.data + j->out.len;
		z->avail_out = (uInt)(j->out.cap - j->out.len - 1);
		size_t before = z->avail_out;
		int rc = deflate(z, flush);
		j->out.len += before - z->avail_out;
		if (rc == Z_STREAM_END) {
			j->rc = 0;
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			break;
		if (z->avail_out == 0)
			continue;
		/* room left over: a sync flush is complete, anything else is stuck */
		if (!j->last && z->avail_in == 0)
			j->rc = 0;
		break;
	}
	j->crc = crc32_z(0, j->n ? in : NULL, j->n);
	if (zeros && j->rc == 0)
		zeros_put(zp, j->n, &j->out, j->crc);
	if (j->own)
		free((void *)j->src);
	j->src = NULL;
}

bool report_start_thread(pthread_t *th, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	bool ok = pthread_create(th, NULL, fn, arg) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ok;
}

/* Run queued jobs until the queue is empty (and, for workers, closed). */
static void zpool_drain(struct report_zpool *zp, bool wait)
{
	struct zworker w;
	memset(&w, 0, sizeof(w));
	pthread_mutex_lock(&zp->mu);
	for (;;) {
		while (wait && zp->next == zp->njobs && !zp->closing)
			pthread_cond_wait(&zp->cv, &zp->mu);
		if (zp->next == zp->njobs)
			break;
		struct report_zjob *j = zp->jobs[zp->next++];
		pthread_mutex_unlock(&zp->mu);
		zjob_run(zp, j, &w);
		pthread_mutex_lock(&zp->mu);
	}
	pthread_mutex_unlock(&zp->mu);
	if (w.init)
		deflateEnd(&w.z);
	buf_free(&w.in);
}

static void *zpool_worker(void *arg)
{
	zpool_drain(arg, true);
	return NULL;
}

struct report_zpool *report_zpool_new(void)
{
	struct report_zpool *zp = xcalloc(1, sizeof(*zp));
	pthread_mutex_init(&zp->mu, NULL);
	pthread_cond_init(&zp->cv, NULL);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int want = ncpu > 1 ? (int)(ncpu - 1) : 1;
	if (want > (int)ARRAY_SIZE(zp->th))
		want = (int)ARRAY_SIZE(zp->th);
	/* without threads the jobs run on this one at the end */
	while (zp->nth < want && report_start_thread(&zp->th[zp->nth], zpool_worker, zp))
		zp->nth++;
	return zp;
}

void report_zpool_add(struct report_zpool *zp, const struct report_zjob *tmpl)
{
	struct report_zjob *j = xmalloc(sizeof(*j));
	*j = *tmpl;
	j->n = j->esz ? (j->p1 - j->p0) * j->m + j->pad : j->m;
	pthread_mutex_lock(&zp->mu);
	if (zp->njobs == zp->cap) {
		zp->cap = zp->cap ? zp->cap * 2 : 256;
		zp->jobs = xreallocarray(zp->jobs, zp->cap, sizeof(*zp->jobs));
	}
	zp->jobs[zp->njobs++] = j;
	pthread_cond_signal(&zp->cv);
	pthread_mutex_unlock(&zp->mu);
}

void report_zpool_kill(struct report_zpool *zp, int k)
{
	pthread_mutex_lock(&zp->mu);
	for (size_t i = 0; i < zp->njobs; i++)
		if (zp->jobs[i]->key >> 40 == (uint64_t)k)
			zp->jobs[i]->dead = true;
	pthread_mutex_unlock(&zp->mu);
}

static int cmp_job(const void *a, const void *b)
{
	const struct report_zjob *x = *(struct report_zjob *const *)a, *y = *(struct report_zjob *const *)b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Help with the remaining jobs, wait for the workers, then write the gzip member into out. */
int report_zpool_finish(struct report_zpool *zp, struct buf *out)
{
	pthread_mutex_lock(&zp->mu);
	zp->closing = true;
	pthread_cond_broadcast(&zp->cv);
	pthread_mutex_unlock(&zp->mu);
	zpool_drain(zp, false);
	for (int i = 0; i < zp->nth; i++)
		pthread_join(zp->th[i], NULL);
	size_t live = 0;
	for (size_t i = 0; i < zp->njobs; i++) {
		if (zp->jobs[i]->dead) {
			buf_free(&zp->jobs[i]->out);
			free(zp->jobs[i]);
		} else {
			zp->jobs[live++] = zp->jobs[i];
		}
	}
	if (live)
		qsort(zp->jobs, live, sizeof(*zp->jobs), cmp_job);
	int rc = 0;
	uLong crc = crc32_z(0, NULL, 0);
	uint64_t isize = 0;
	size_t total = 18;
	for (size_t i = 0; i < live; i++) {
		const struct report_zjob *j = zp->jobs[i];
		if (j->rc < 0)
			rc = j->rc;
		crc = crc32_combine(crc, j->crc, (z_off_t)j->n);
		isize += j->n;
		total += j->out.len;
	}
	if (rc == 0) {
		static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
		unsigned char trl[8];
		for (int k = 0; k < 4; k++) {
			trl[k] = (unsigned char)(crc >> (8 * k));
			trl[4 + k] = (unsigned char)(isize >> (8 * k));
		}
		buf_reserve(out, total);
		buf_add(out, hdr, sizeof(hdr));
		for (size_t i = 0; i < live; i++)
			buf_add(out, zp->jobs[i]->out.data, zp->jobs[i]->out.len);
		buf_add(out, trl, sizeof(trl));
	}
	for (size_t i = 0; i < live; i++) {
		buf_free(&zp->jobs[i]->out);
		free(zp->jobs[i]);
	}
	free(zp->jobs);
	for (size_t i = 0; i < zp->nzeros; i++)
		buf_free(&zp->zeros[i].out);
	pthread_cond_destroy(&zp->cv);
	pthread_mutex_destroy(&zp->mu);
	free(zp);
	return rc;
}
