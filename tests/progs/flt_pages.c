// SPDX-License-Identifier: MIT
// Page-fault tracee: writes to known numbers of fresh pages in the brk heap, an anonymous mapping,
// a private file mapping, a thread's anonymous mapping and a child's heap, then prints each range:
//   flt_pages REGION pid=P tid=T start=0x... pages=N [path=...]
// Usage: flt_pages DIR (the private file mapping is DIR/flt_pages.data).
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define HEAP_PAGES 300
#define ANON_PAGES 400
#define FILE_PAGES 200
#define THREAD_PAGES 250
#define CHILD_PAGES 150
#define PG 4096

static void touch(volatile char *p, int pages)
{
	for (int i = 0; i < pages; i++)
		p[(size_t)i * PG] = 1;
}

static void report(const char *what, void *start, int pages, const char *path)
{
	printf("flt_pages %s pid=%d tid=%ld start=%p pages=%d%s%s\n", what, getpid(), syscall(SYS_gettid), start,
	       pages, path ? " path=" : "", path ? path : "");
	fflush(stdout);
}

/* Fresh pages at the break, page-aligned so exactly 'pages' pages are touched. */
static char *heap_pages(int pages)
{
	uintptr_t cur = (uintptr_t)sbrk(0);
	uintptr_t pad = (PG - cur % PG) % PG;
	char *p;

	if (sbrk((intptr_t)pad) == (void *)-1)
		return NULL;
	p = sbrk((intptr_t)pages * PG);
	return p == (void *)-1 ? NULL : p;
}

static void *thread_main(void *arg)
{
	(void)arg;
	char *p = mmap(NULL, (size_t)THREAD_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, (size_t)THREAD_PAGES * PG, MADV_NOHUGEPAGE);
	touch(p, THREAD_PAGES);
	report("thread", p, THREAD_PAGES, NULL);
	return p;
}

int main(int argc, char **argv)
{
	char path[4096];
	pthread_t th;
	void *tret;
	pid_t child;
	int fd, st;

	if (argc < 2) {
		fprintf(stderr, "usage: flt_pages DIR\n");
		return 2;
	}
	/* one fault per 4 KiB page: no transparent huge pages */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	snprintf(path, sizeof(path), "%s/flt_pages.data", argv[1]);

	char *h = heap_pages(HEAP_PAGES);
	if (!h)
		return 3;
	touch(h, HEAP_PAGES);
	report("heap", h, HEAP_PAGES, NULL);

	char *a = mmap(NULL, (size_t)ANON_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return 3;
	touch(a, ANON_PAGES);
	report("anon", a, ANON_PAGES, NULL);

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)FILE_PAGES * PG) < 0)
		return 3;
	char *f = mmap(NULL, (size_t)FILE_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (f == MAP_FAILED)
		return 3;
	touch(f, FILE_PAGES);
	report("file", f, FILE_PAGES, path);

	if (pthread_create(&th, NULL, thread_main, NULL) != 0 || pthread_join(th, &tret) != 0 || !tret)
		return 3;

	child = fork();
	if (child == 0) {
		char *c = heap_pages(CHILD_PAGES);
		if (!c)
			_exit(3);
		touch(c, CHILD_PAGES);
		report("child", c, CHILD_PAGES, NULL);
		_exit(0);
	}
	if (child < 0 || waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 3;
	close(fd);
	unlink(path);
	return 0;
}
