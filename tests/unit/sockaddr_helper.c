/* SPDX-License-Identifier: MIT */
/* Unit tests of sockaddr_helper: resolver and helper sockets are noise, loopback as such is not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "decode/sockaddr.h"

static bool helper(int family, const char *addr, int port, bool loopback)
{
	struct sockaddr_info a = {.family = family, .port = port, .loopback = loopback};
	strncpy(a.addr, addr, sizeof(a.addr) - 1);
	return sockaddr_helper(&a);
}

static void test_helpers(void **st)
{
	(void)st;
	assert_true(helper(AF_INET, "127.0.0.53", 53, true));  /* systemd-resolved's stub */
	assert_true(helper(AF_INET6, "::1", 53, true));
	assert_false(helper(AF_INET, "127.0.0.1", 8000, true)); /* a program's own server */
	assert_false(helper(AF_INET, "10.0.0.1", 53, false));   /* a remote DNS server is traffic */
	assert_true(helper(AF_UNIX, "/var/run/nscd/socket", -1, false));
	assert_true(helper(AF_UNIX, "/run/dbus/system_bus_socket", -1, false));
	assert_true(helper(AF_UNIX, "/run/user/1000/bus", -1, false));
	assert_false(helper(AF_UNIX, "/run/user/1000/busy", -1, false));
	assert_true(helper(AF_UNIX, "@/tmp/dbus-AbC", -1, false));
	assert_true(helper(AF_UNIX, "/run/systemd/journal/socket", -1, false));
	assert_true(helper(AF_UNIX, "/dev/log", -1, false));
	assert_false(helper(AF_UNIX, "/tmp/app.sock", -1, false));
	assert_false(helper(AF_UNIX, "@app", -1, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
