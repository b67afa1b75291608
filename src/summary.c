/* SPDX-License-Identifier: MIT */
/* summary: the FINAL block (and the -c per-syscall table) after tracing. */
#include "summary.h"

#include "fmt.h"
#include "termesc.h"

void summary_print(struct run *r, int fd)
{
	struct buf b = {0};
	buf_adds(&b, " FINAL: ");
	for (int i = 0; i < r->argc && r->argv && r->argv[i]; i++) {
		if (i)
			buf_addc(&b, ' ');
		termesc_cstr(&b, r->argv[i]);
	}
	buf_adds(&b, " (");
	fmt_secs(&b, (double)r->t_end / 1e9);
	buf_printf(&b, ")\n %llu events\n", (unsigned long long)evlog_count(r->log));
	(void)write_all(fd, b.data, b.len);
	buf_free(&b);
}
