// SPDX-License-Identifier: MIT
// watch_load: workloads for the --watch tests; each prints what it did.
//   idle N                    N sleeping children; prints "ready"; SIGTERM ends all
//   hog NAME SECONDS [SLEEP]  (after SLEEP s idle) spin as comm NAME until SECONDS of wall time were spent
//                             with at least 70% of a core (measured, whatever else runs; at most 120 s);
//                             prints "pid P", "ppid Q", then "busy S" (or "starved", exit 3)
//   shorts NAME SECONDS COUNT SHARE TRIES
//                             short-lived hogs forked one after another, each spinning until it used
//                             SECONDS of CPU: "pid P cpu C life L" each, "good P" for those that had at
//                             least SHARE of a core over their life; until COUNT good or TRIES children
//   mem NAME MB HOLD          allocate MB MiB at once (populated), hold HOLD s or until SIGTERM;
//                             prints "pid P", then "allocated MB in S s"
//   burst N SECONDS           N children exec /bin/true spread over SECONDS; prints "ppid P"
//   reuse NAME_A NAME_B SECS  child A spins SECS (as hog), exits; child B gets A's pid (ns_last_pid), spins SECS
//   churn SECONDS             short-lived children as fast as possible for SECONDS; prints the count
//   threads N SECONDS         N extra threads sleeping SECONDS; prints "pid P"
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void spin(double secs)
{
	volatile unsigned long x = 0;
	double end = now() + secs;
	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x++;
}

static void on_term(int sig)
{
	(void)sig;
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGKILL);
	_exit(0);
}

static int idle(int n)
{
	setpgid(0, 0);
	signal(SIGTERM, on_term);
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			signal(SIGTERM, SIG_DFL);
			for (;;)
				pause();
		}
		if (p < 0) {
			perror("fork");
			kill(0, SIGKILL);
			return 1;
		}
	}
	printf("ready %d\n", n);
	fflush(stdout);
	for (;;)
		pause();
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds since this process was forked, from its start time in /proc/self/stat (as taskstats counts). */
static double age_now(void)
{
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	unsigned long long start = 0;
	/* field 22 is the 20th after the comm */
	for (int f = 3; p && f <= 22; f++) {
		p = strchr(p + 1, ' ');
		if (p && f == 22)
			start = strtoull(p + 1, NULL, 10);
	}
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9 - (double)start / (double)sysconf(_SC_CLK_TCK);
}

/*
 * Spin until 'secs' of wall time were spent in 50 ms slices in which this
 * process had at least 70% of a core: on a loaded machine it spins longer
 * rather than being a weaker hog than the test claims. -1 after 120 s.
 */
static int busy(double secs)
{
	double give_up = now() + 120, good = 0;
	while (good < secs) {
		if (now() > give_up)
			return -1;
		double w0 = now(), c0 = cpu_now();
		spin(0.05);
		double dw = now() - w0, dc = cpu_now() - c0;
		if (dc >= 0.7 * dw)
			good += dw;
	}
	return 0;
}

static int hog(const char *name, double secs, double sleep_first)
{
	prctl(PR_SET_NAME, name);
	printf("pid %d\nppid %d\n", getpid(), getppid());
	fflush(stdout);
	if (sleep_first > 0)
		usleep((useconds_t)(sleep_first * 1e6));
	double t0 = now();
	if (busy(secs)) {
		printf("starved\n");
		return 3;
	}
	printf("busy %.2f\n", now() - t0);
	return 0;
}

/*
 * Short-lived hogs forked one after the other by this (prioritised)
 * process: each spins until it used SECS of CPU and says "pid P cpu C life
 * L" as the kernel's exit accounting will see it, and "good P" when that was
 * at least SHARE of a core. Stops after COUNT good ones or TRIES children.
 */
static int short_hogs(const char *name, double secs, int count, double share, int tries)
{
	int good = 0;
	for (int t = 0; t < tries && good < count; t++) {
		fflush(stdout);
		pid_t c = fork();
		if (c == 0) {
			prctl(PR_SET_NAME, name);
			double give_up = now() + 60, cpu;
			while ((cpu = cpu_now()) < secs && now() < give_up)
				spin(0.005);
			double life = age_now();
			printf("pid %d cpu %.3f life %.3f\n", getpid(), cpu, life);
			if (cpu >= secs && cpu >= share * life)
				printf("good %d\n", getpid());
			fflush(stdout);
			_exit(cpu >= secs && cpu >= share * life ? 0 : 1);
		}
		int st;
		if (c < 0 || waitpid(c, &st, 0) < 0)
			return 1;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			good++;
		usleep(300000);
	}
	return good == count ? 0 : 1;
}

static void on_term_exit(int sig)
{
	(void)sig;
	_exit(0);
}

static int mem(const char *name, long mb, double hold)
{
	prctl(PR_SET_NAME, name);
	signal(SIGTERM, on_term_exit);
	printf("pid %d\n", getpid());
	fflush(stdout);
	size_t n = (size_t)mb << 20;
	double t0 = now();
	/* populated by the kernel in one call: the allocation is quick whatever the scheduler does */
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (size_t i = 0; i < n; i += 4096)
		((volatile char *)p)[i] = 1;
	printf("allocated %ld in %.2f s\n", mb, now() - t0);
	fflush(stdout);
	usleep((useconds_t)(hold * 1e6));
	munmap(p, n);
	return 0;
}

static int burst(int n, double secs)
{
	printf("ppid %d\n", getpid());
	fflush(stdout);
	double start = now();
	for (int i = 0; i < n; i++) {
		double due = start + secs * i / n;
		while (now() < due)
			usleep(500);
		pid_t p = fork();
		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}

static int set_last_pid(int pid)
{
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char b[32];
	int l = snprintf(b, sizeof(b), "%d", pid);
	int rc = write(fd, b, (size_t)l) == l ? 0 : -1;
	close(fd);
	return rc;
}

// fork a child that has NAME from its first moment: the parent takes the
// name for the fork and gives it back (a child renaming itself after the
// fork can be sampled under the parent's name first, on a loaded machine)
static pid_t fork_named(const char *name)
{
	char own[16] = "";
	prctl(PR_GET_NAME, own);
	prctl(PR_SET_NAME, name);
	pid_t p = fork();
	if (p != 0)
		prctl(PR_SET_NAME, own);
	return p;
}

static int reuse(const char *a, const char *b, double secs)
{
	for (int attempt = 0; attempt < 50; attempt++) {
		pid_t pa = fork_named(a);
		if (pa == 0) {
			busy(secs);
			_exit(0);
		}
		waitpid(pa, NULL, 0);
		if (set_last_pid(pa - 1)) {
			printf("no ns_last_pid: %s\n", strerror(errno));
			return 2;
		}
		pid_t pb = fork_named(b);
		if (pb == 0) {
			if (getpid() != pa)
				_exit(3);
			busy(secs);
			_exit(0);
		}
		int st;
		waitpid(pb, &st, 0);
		if (pb == pa && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			printf("reused %d\n", pa);
			return 0;
		}
	}
	printf("no reuse\n");
	return 1;
}

static int churn(double secs)
{
	double end = now() + secs;
	long n = 0;
	while (now() < end) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		if (p > 0) {
			waitpid(p, NULL, 0);
			n++;
		}
	}
	printf("children %ld\n", n);
	return 0;
}

static void *sleeper(void *arg)
{
	usleep((useconds_t)(*(double *)arg * 1e6));
	return NULL;
}

static int threads(int n, double secs)
{
	printf("pid %d\n", getpid());
	fflush(stdout);
	pthread_t t[64];
	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, sleeper, &secs);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "threads"))
		return threads(atoi(argv[2]), atof(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "idle"))
		return idle(atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "hog"))
		return hog(argv[2], atof(argv[3]), argc > 4 ? atof(argv[4]) : 0);
	if (argc >= 7 && !strcmp(argv[1], "shorts"))
		return short_hogs(argv[2], atof(argv[3]), atoi(argv[4]), atof(argv[5]), atoi(argv[6]));
	if (argc >= 5 && !strcmp(argv[1], "mem"))
		return mem(argv[2], atol(argv[3]), atof(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "burst"))
		return burst(atoi(argv[2]), atof(argv[3]));
	if (argc >= 5 && !strcmp(argv[1], "reuse"))
		return reuse(argv[2], argv[3], atof(argv[4]));
	if (argc >= 3 && !strcmp(argv[1], "churn"))
		return churn(atof(argv[2]));
	fprintf(stderr, "usage: watch_load idle N | hog NAME S [SLEEP] | shorts NAME S COUNT SHARE TRIES | mem NAME MB HOLD | burst N S | reuse A B S | churn S\n");
	return 2;
}
