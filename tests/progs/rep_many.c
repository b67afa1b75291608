// SPDX-License-Identifier: MIT
// rep_many: argv[1] writes of one byte to /dev/null and then one open of
// argv[2], so a report has a known number of events and a known last one.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	long n = atol(argv[1]);
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0)
		return 1;
	for (long i = 0; i < n; i++)
		if (write(fd, "x", 1) != 1)
			return 1;
	close(fd);
	fd = open(argv[2], O_RDONLY);
	if (fd >= 0)
		close(fd);
	return 0;
}
