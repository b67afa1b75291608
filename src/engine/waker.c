/* SPDX-License-Identifier: MIT */
/*
 * waker: compendium's own signals (Ctrl-C, SIGTERM: forward, kill or
 * detach) and the waker thread that interrupts wait4 for them, for the
 * hooks' fds and for their ticks.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/engine_int.h"
#include "engine/tracer.h"
#include "lib/msg.h"

#define WAKE_RETRY_MS 1 /* the waker repeats its signal until the tracer has looked */

/* ---- compendium's signals ---- */

void eng_signals_setup(void)
{
	/*
	 * The stop signals go to a signalfd: blocked, with the default action
	 * so the kernel queues them. One ignored when we started (a background
	 * job's SIGINT, nohup's SIGHUP) stays ignored, as it will for the command.
	 */
	static const int stops[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE };
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(stops); i++) {
		struct sigaction old;
		if (sigaction(stops[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaddset(&set, stops[i]);
	}
	sigprocmask(SIG_BLOCK, &set, &eng.oldmask);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (size_t i = 0; i < ARRAY_SIZE(stops); i++)
		if (sigismember(&set, stops[i]))
			sigaction(stops[i], &dfl, NULL);
	eng.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (eng.sigfd < 0)
		die(70, "signalfd: %s", strerror(errno));
	/* wait4 needs the children's statuses: an inherited SIG_IGN would reap them */
	eng.chld_ignored = signal(SIGCHLD, SIG_DFL) == SIG_IGN;
	eng.ttou_ignored = signal(SIGTTOU, SIG_IGN) == SIG_IGN;
	eng.ttin_ignored = signal(SIGTTIN, SIG_IGN) == SIG_IGN;
}

static void on_signal(const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;
	if (sig == SIGCHLD)
		return;
	eng.r->interrupted = true;
	if (eng.attach) {
		eng_detach_all();
		return;
	}
	if (sig == SIGINT || sig == SIGQUIT) {
		if (++eng.nint == 1) {
			/*
			 * from the tty the program got it too; from kill(1) it did not
			 * (doc/ENGINE.md, 'Ctrl-C and signals to the tracer')
			 */
			if (si->ssi_code != SI_KERNEL && eng.root_pidfd >= 0 && !eng.root_done)
				syscall(SYS_pidfd_send_signal, eng.root_pidfd, sig, NULL, 0);
			return;
		}
	}
	eng_kill_tree();
}

static void drain_signals(void)
{
	struct signalfd_siginfo si[8];
	ssize_t n;
	while ((n = read(eng.sigfd, si, sizeof(si))) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++)
			on_signal(&si[i]);
}

void eng_signals_restore(void)
{
	drain_signals();
	signal(SIGPIPE, SIG_IGN); /* output errors become EPIPE from here on */
	close(eng.sigfd);
	sigprocmask(SIG_SETMASK, &eng.oldmask, NULL);
}

static void run_ticks(void)
{
	uint64_t now = now_ns();
	for (int i = 0; i < eng.nhooks; i++) {
		if (!eng.hooks[i].tick || !eng.hooks[i].tick_ms)
			continue;
		uint64_t last = __atomic_load_n(&eng.tick_last[i], __ATOMIC_RELAXED);
		if (now - last >= (uint64_t)eng.hooks[i].tick_ms * 1000000u) {
			__atomic_store_n(&eng.tick_last[i], now, __ATOMIC_RELAXED);
			eng.hooks[i].tick(eng.hooks[i].ctx);
		}
	}
}

void eng_look_around(void)
{
	drain_signals();
	for (int i = 0; i < eng.nhooks; i++) {
		if (eng.hooks[i].fd >= 0 && eng.hooks[i].fd_ready) {
			struct pollfd pf = { eng.hooks[i].fd, POLLIN, 0 };
			if (poll(&pf, 1, 0) > 0)
				eng.hooks[i].fd_ready(eng.hooks[i].ctx);
		}
	}
	run_ticks();
}

/* ---- the waker thread ---- */

static int sig_wake(void)
{
	return SIGRTMIN + 2;
}

static void on_wake(int sig)
{
	(void)sig; /* only there to interrupt wait4 (no SA_RESTART) */
}

/* ms until the next hook tick is due (-1: no ticks). */
static int tick_timeout(void)
{
	int timeout = -1;
	uint64_t now = now_ns();
	for (int i = 0; i < eng.nhooks; i++) {
		if (!eng.hooks[i].tick || !eng.hooks[i].tick_ms)
			continue;
		uint64_t due = __atomic_load_n(&eng.tick_last[i], __ATOMIC_RELAXED) +
			       (uint64_t)eng.hooks[i].tick_ms * 1000000u;
		int ms = due <= now ? 0 : (int)((due - now + 999999) / 1000000);
		if (timeout < 0 || ms < timeout)
			timeout = ms;
	}
	return timeout;
}

static void *waker_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd pf[ENG_MAX_HOOKS + 2];
		nfds_t n = 0;
		pf[n++] = (struct pollfd){ eng.quitfd, POLLIN, 0 };
		pf[n++] = (struct pollfd){ eng.sigfd, POLLIN, 0 };
		for (int i = 0; i < eng.nhooks; i++)
			if (eng.hooks[i].fd >= 0 && eng.hooks[i].fd_ready)
				pf[n++] = (struct pollfd){ eng.hooks[i].fd, POLLIN, 0 };
		if (poll(pf, n, tick_timeout()) < 0 && errno != EINTR)
			return NULL;
		if (pf[0].revents)
			return NULL;
		atomic_store(&eng.wake_req, 1);
		/*
		 * The tracer may be past its last look at wake_req but not yet
		 * in wait4, where the signal would be lost: repeat it until the
		 * tracer has looked around (it clears wake_req).
		 */
		while (atomic_load(&eng.wake_req)) {
			if (atomic_load(&eng.in_wait))
				syscall(SYS_tgkill, eng.self, eng.tracer_tid, sig_wake());
			struct pollfd q = { eng.quitfd, POLLIN, 0 };
			if (poll(&q, 1, WAKE_RETRY_MS) > 0)
				return NULL;
		}
	}
}

void eng_waker_start(void)
{
	struct sigaction sa = { .sa_handler = on_wake }; /* no SA_RESTART: wait4 returns EINTR */
	sigaction(sig_wake(), &sa, NULL);
	eng.tracer_tid = (pid_t)syscall(SYS_gettid);
	eng.quitfd = eventfd(0, EFD_CLOEXEC);
	if (eng.quitfd < 0)
		die(70, "eventfd: %s", strerror(errno));
	/* the waker takes no signal: they stay for the signalfd and SIG_WAKE for the tracer */
	sigset_t all, cur;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &cur);
	int rc = pthread_create(&eng.waker, NULL, waker_main, NULL);
	pthread_sigmask(SIG_SETMASK, &cur, NULL);
	if (rc)
		die(70, "cannot start a thread: %s", strerror(rc));
	eng.waker_on = true;
}

void eng_waker_stop(void)
{
	if (!eng.waker_on)
		return;
	uint64_t one = 1;
	if (write(eng.quitfd, &one, sizeof(one)) < 0)
		warnmsg("eventfd write: %s", strerror(errno));
	pthread_join(eng.waker, NULL);
	close(eng.quitfd);
	eng.waker_on = false;
	signal(sig_wake(), SIG_DFL);
}
