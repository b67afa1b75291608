// SPDX-License-Identifier: MIT
// rep_hostile: create files whose names attack an HTML report (script
// injection, comment tricks, attribute breaks, ESC sequences, U+2028,
// invalid UTF-8) in the directory argv[1].
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const names[] = {
	"</script><script>alert(1)</script>",
	"<!--<script>x",
	"\"><svg onload=alert(2)>",
	"<img src=x onerror=alert(3)>",
	"esc\x1b]0;owned\x07\x1b[2Jname",
	"line\xe2\x80\xa8sep",
	"bad\xff\xfeutf8",
};

int main(int argc, char **argv)
{
	if (argc != 2 || chdir(argv[1]) != 0)
		return 2;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char p[256];
		/* a '/' in a name makes directories: create them so the open of
		 * the whole string (as traced) succeeds */
		snprintf(p, sizeof(p), "%s", names[i]);
		for (char *c = p; (c = strchr(c, '/')); c++) {
			*c = 0;
			mkdir(p, 0700);
			*c = '/';
		}
		int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			return 1;
		if (write(fd, "x", 1) != 1)
			return 1;
		close(fd);
	}
	return 0;
}
