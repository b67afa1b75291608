/* SPDX-License-Identifier: MIT */
/* secret_names: the one secret-looking-name rule of the report and the watch dumps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lib/secret.h"
#include "lib/util.h"

static bool is_secret(const char *s)
{
	return secret_name(s, strlen(s));
}

static void test_secret(void **state)
{
	(void)state;
	static const char *const yes[] = {"password", "PASSWD", "db_pass", "api_key", "GITHUB_TOKEN", "client_secret",
					  "credentials", "AWS_REGION", "aws_x", "auth", "x_auth", "auth_header",
					  "proxy-auth", "auth-token", "OAuthToken", "authorization", "pwd", "mysql_pwd",
					  "keyboard"};
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (!is_secret(yes[i]))
			fail_msg("'%s' should look secret", yes[i]);
}

static void test_not_secret(void **state)
{
	(void)state;
	static const char *const no[] = {"path", "name", "mode", "author", "user", "host", "output", "verbose",
					 "aws", "au", ""};
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (is_secret(no[i]))
			fail_msg("'%s' should not look secret", no[i]);
}

static void test_bounds(void **state)
{
	(void)state;
	/* only the n bytes given are looked at */
	assert_false(secret_name("patht", 4));
	assert_true(secret_name("tokenX", 5));
	assert_false(secret_name("toke", 4));
	assert_true(secret_ci_has("-----BEGIN RSA PRIVATE KEY", 26, "private key"));
	assert_false(secret_ci_has("PRIVATE KE", 10, "private key"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_not_secret),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
