/* SPDX-License-Identifier: MIT */
/* jsonrd: a string's exact bytes from a parsed value and its KEY_bytes sibling (json.h's policy). */
#include "lib/jsonrd.h"

#include <stdlib.h>
#include <string.h>

#define SIB_SUFFIX "_bytes"

bool jsonrd_byte_array(const cJSON *j, struct buf *out)
{
	if (!cJSON_IsArray(j))
		return false;
	for (const cJSON *c = j->child; c; c = c->next)
		if (!cJSON_IsNumber(c) || c->valuedouble < 0 || c->valuedouble > 255 ||
		    c->valuedouble != (double)(int)c->valuedouble)
			return false;
	for (const cJSON *c = j->child; c; c = c->next)
		buf_addc(out, (char)(unsigned char)(int)c->valuedouble);
	if (!out->data)
		buf_add(out, "", 0);
	return true;
}

const cJSON *jsonrd_sibling(const cJSON *o, const cJSON *m)
{
	if (!cJSON_IsObject(o) || !m || !m->string)
		return NULL;
	struct buf k = {0};
	buf_adds(&k, m->string);
	buf_adds(&k, SIB_SUFFIX);
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, k.data);
	buf_free(&k);
	return cJSON_IsArray(s) ? s : NULL;
}

bool jsonrd_is_sibling(const cJSON *o, const cJSON *m)
{
	if (!m || !m->string || !cJSON_IsArray(m))
		return false;
	size_t n = strlen(m->string), sl = sizeof(SIB_SUFFIX) - 1;
	if (n <= sl || strcmp(m->string + n - sl, SIB_SUFFIX))
		return false;
	char *base = xstrndup(m->string, n - sl);
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, base);
	free(base);
	return cJSON_IsString(b) || cJSON_IsNull(b) || cJSON_IsArray(b);
}

bool jsonrd_str(const cJSON *s, const cJSON *sib, struct buf *out)
{
	if (!cJSON_IsString(s))
		return false;
	if (sib && jsonrd_byte_array(sib, out))
		return true;
	const char *v = s->valuestring ? s->valuestring : "";
	buf_add(out, v, strlen(v));
	return true;
}

bool jsonrd_member(const cJSON *o, const char *key, struct buf *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
	return jsonrd_str(m, jsonrd_sibling(o, m), out);
}
