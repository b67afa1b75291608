/* SPDX-License-Identifier: MIT */
/* secret: the secret-looking-name rule shared by the report and the watch dumps. */
#include <string.h>
#include <strings.h>

#include "lib/secret.h"
#include "lib/util.h"

bool secret_ci_has(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	/* | 0x20 folds ASCII case: a cheap first-byte filter before the real compare */
	char c0 = (char)(needle[0] | 0x20);
	for (size_t i = 0; i + m <= n; i++)
		if ((char)(s[i] | 0x20) == c0 && strncasecmp(s + i, needle, m) == 0)
			return true;
	return false;
}

bool secret_name(const char *s, size_t n)
{
	static const char *const words[] = {"key", "token", "secret", "pass", "pwd", "credential",
					    "oauth", "authoriz", "_auth", "auth_", "-auth", "auth-"};
	if (n >= 4 && strncasecmp(s, "aws_", 4) == 0)
		return true;
	if (n == 4 && strncasecmp(s, "auth", 4) == 0)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (secret_ci_has(s, n, words[i]))
			return true;
	return false;
}
