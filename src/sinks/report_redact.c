/* SPDX-License-Identifier: MIT */
/*
 * report_redact: secrets out of the report's text (command lines, paths,
 * HTTP headers, URLs, PEM keys); which names look secret is lib/secret's
 * rule, shared with the watch dumps.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/secret.h"
#include "lib/util.h"
#include "sinks/report_int.h"

static bool is_name_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool word_start(const char *s, size_t i)
{
	if (i == 0)
		return true;
	switch (s[i - 1]) {
	case ' ': case '\t': case '\r': case '\n': case '"': case '\'': case '&': case '?': case ';': case ',':
	case '\0': /* strchr() found the terminator: kept as it was */
		return true;
	default:
		return false;
	}
}

static size_t word_end(const char *s, size_t n, size_t i)
{
	while (i < n && !strchr(" \t\r\n\"'&;,", s[i]))
		i++;
	return i;
}

/*
 * Raw bytes in, raw bytes out. At the start of each word: NAME=value and
 * --name=value with a secret-looking name (also in query strings),
 * "--password value", HTTP Authorization/Cookie header values; anywhere:
 * URL userinfo and PEM private-key blocks.
 */
bool report_redact(struct buf *out, const char *s, size_t n)
{
	static const char *const hdrs[] = {"proxy-authorization:", "authorization:", "set-cookie:",
					   "cookie:"};
	bool hit = false;
	size_t i = 0;

	while (i < n) {
		if (word_start(s, i)) {
			size_t m = 0;
			for (size_t h = 0; h < ARRAY_SIZE(hdrs) && !m; h++) {
				size_t hl = strlen(hdrs[h]);
				if (i + hl <= n && strncasecmp(s + i, hdrs[h], hl) == 0)
					m = hl;
			}
			if (m) {
				buf_add(out, s + i, m);
				i += m;
				while (i < n && s[i] == ' ')
					buf_addc(out, s[i++]);
				size_t e = i;
				while (e < n && s[e] != '\r' && s[e] != '\n')
					e++;
				if (e > i) {
					buf_adds(out, REPORT_REDACTED);
					hit = true;
				}
				i = e;
				continue;
			}
			size_t k = i;
			while (k < n && k < i + 2 && s[k] == '-')
				k++;
			size_t ns = k;
			while (k < n && (is_name_char((unsigned char)s[k]) || (ns > i && s[k] == '-') || s[k] == '.'))
				k++;
			bool named = k > ns && !(ns == i && s[i] >= '0' && s[i] <= '9') && secret_name(s + ns, k - ns);
			if (named && k < n && (s[k] == '=' || s[k] == ':') && word_end(s, n, k + 1) > k + 1 &&
			    (s[k] == '=' || ns > i)) {
				buf_add(out, s + i, k + 1 - i);
				buf_adds(out, REPORT_REDACTED);
				hit = true;
				i = word_end(s, n, k + 1);
				continue;
			}
			if (named && ns > i && k + 1 < n && s[k] == ' ' && s[k + 1] != '-' &&
			    word_end(s, n, k + 1) > k + 1) {
				/* "--password value" in a command line written out as text */
				buf_add(out, s + i, k + 1 - i);
				buf_adds(out, REPORT_REDACTED);
				hit = true;
				i = word_end(s, n, k + 1);
				continue;
			}
		}
		if (i + 3 <= n && memcmp(s + i, "://", 3) == 0) {
			buf_add(out, "://", 3);
			i += 3;
			size_t e = i, at = 0;
			bool found = false;
			while (e < n && s[e] != '/' && s[e] != ' ' && s[e] != '"' && s[e] != '\n' &&
			       s[e] != '?' && s[e] != '#') {
				if (s[e] == '@') {
					at = e;
					found = true;
				}
				e++;
			}
			if (found && at > i) {
				buf_adds(out, REPORT_REDACTED);
				i = at;
				hit = true;
			}
			continue;
		}
		if (i + 11 <= n && memcmp(s + i, "-----BEGIN ", 11) == 0) {
			size_t e = i + 11;
			while (e < n && s[e] != '\n' && s[e] != '-')
				e++;
			if (secret_ci_has(s + i, e - i, "PRIVATE KEY")) {
				const char *end = memmem(s + e, n - e, "-----END ", 9);
				buf_adds(out, "-----BEGIN PRIVATE KEY-----");
				buf_adds(out, REPORT_REDACTED);
				hit = true;
				i = end ? (size_t)(end - s) : n;
				continue;
			}
		}
		buf_addc(out, s[i++]);
	}
	return hit;
}

/*
 * Every pattern report_redact() replaces holds '=' or ':', or
 * starts a word with '-', or is a PEM "-----BEGIN " line; most paths and
 * names have none of these and skip the scan.
 */
bool report_may_hold_secret(const char *s, size_t n)
{
	if (memchr(s, '=', n) || memchr(s, ':', n))
		return true;
	for (const char *p = s; (p = memchr(p, '-', n - (size_t)(p - s))); p++) {
		size_t i = (size_t)(p - s);
		if (word_start(s, i) || (i + 11 <= n && memcmp(p, "-----BEGIN ", 11) == 0))
			return true;
	}
	return false;
}

bool report_secret_flag(const char *s, size_t n)
{
	if (n < 2 || s[0] != '-' || memchr(s, '=', n))
		return false;
	size_t k = s[1] == '-' ? 2 : 1;
	return n - k >= 3 && secret_name(s + k, n - k);
}

char **report_argv_redacted(const struct run *r, bool redact, bool *red)
{
	int n = 0;
	while (n < r->argc && r->argv && r->argv[n])
		n++;
	char **v = xcalloc((size_t)n + 1, sizeof(*v));
	bool hide_next = false;
	for (int i = 0; i < n; i++) {
		const char *a = r->argv[i];
		struct buf t = {0};
		if (redact && hide_next) {
			v[i] = xstrdup(REPORT_REDACTED);
			*red = true;
		} else if (redact && report_redact(&t, a, strlen(a))) {
			v[i] = buf_steal(&t);
			*red = true;
		} else {
			v[i] = xstrdup(a);
		}
		buf_free(&t);
		hide_next = report_secret_flag(a, strlen(a));
	}
	return v;
}

void report_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}
