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
#include "lib/procfs.h"
#include "lib/xlat.h"

#define WAKE_RETRY_MS 1 /* the waker repeats its signal until the tracer has looked */

/* ---- compendium's signals: doc/ENGINE.md, 'Ctrl-C and signals to the tracer' ---- */

static bool sigs_on; /* between eng_signals_setup and eng_signals_restore */

#define FWD_WAIT_NS (100 * 1000000ull) /* how long a group kill has to show at the command */
#define DOUBLE_INT_NS (200 * 1000000ull) /* two SIGINTs closer than this are one group kill */

static int sig_wake(void)
{
	return SIGRTMIN + 2;
}

/*
 * Signals compendium leaves alone: the uncatchable ones, job control
 * (Ctrl-Z stops compendium like any job), those ignored by default, and
 * the waker's own.
 */
static bool left_alone(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
	case SIGCONT: case SIGCHLD: case SIGURG: case SIGWINCH:
		return true;
	default:
		return sig == sig_wake();
	}
}

/* Raised by a fault of compendium's own, or sent with kill(2) by anyone. */
static bool synchronous(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP ||
	       sig == SIGSYS;
}

/*
 * A synchronous signal stays unblocked with a handler of ours, since a
 * blocked fault kills at once without the previous handler (a sanitizer's
 * report): one sent with kill(2) is ignored; a real fault puts the previous
 * disposition back, and the faulting instruction raises it again there.
 */
static void on_sync_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (si->si_code == SI_USER || si->si_code == SI_QUEUE || si->si_code == SI_TKILL)
		return;
	sigaction(sig, &eng.old_act[sig], NULL);
}

void eng_signals_setup(void)
{
	/*
	 * Every signal compendium can take goes to a signalfd: blocked, with
	 * the default action so the kernel queues it, read by the tracer when
	 * the waker says so. Nothing a tracee sends kills compendium. When
	 * launching, one ignored when we started (a background job's SIGINT,
	 * nohup's SIGHUP) stays ignored, as it will for the command; attached,
	 * compendium takes those too, so that kill -INT of a background
	 * `compendium -p PID &` detaches.
	 */
	sigset_t set;
	sigemptyset(&set);
	eng.noted_sigs = 0;
	struct sigaction sync_act = { .sa_sigaction = on_sync_signal, .sa_flags = SA_SIGINFO | SA_RESTART };
	for (int sig = 1; sig <= SIGRTMAX && sig < (int)ARRAY_SIZE(eng.old_act); sig++) {
		if (left_alone(sig) || sigaction(sig, NULL, &eng.old_act[sig]) < 0)
			continue; /* glibc's reserved real-time signals fail here */
		if (eng.old_act[sig].sa_handler == SIG_IGN && !eng.attach)
			continue;
		if (synchronous(sig))
			sigaction(sig, &sync_act, NULL);
		else
			sigaddset(&set, sig);
	}
	sigprocmask(SIG_BLOCK, &set, &eng.oldmask);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (int sig = 1; sig < (int)ARRAY_SIZE(eng.old_act); sig++)
		if (sigismember(&set, sig) == 1)
			sigaction(sig, &dfl, NULL);
	eng.caught = set;
	eng.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (eng.sigfd < 0)
		die(70, "signalfd: %s", strerror(errno));
	sigs_on = true;
	/* wait4 needs the children's statuses: an inherited SIG_IGN would reap them */
	eng.chld_ignored = signal(SIGCHLD, SIG_DFL) == SIG_IGN;
	eng.ttou_ignored = signal(SIGTTOU, SIG_IGN) == SIG_IGN;
	eng.ttin_ignored = signal(SIGTTIN, SIG_IGN) == SIG_IGN;
}

/* Say once per signal that compendium ignored it, and who sent it. */
static void note_ignored(const struct signalfd_siginfo *si, const char *why)
{
	int sig = (int)si->ssi_signo;
	uint64_t bit = 1ull << ((sig - 1) & 63);
	if (eng.noted_sigs & bit)
		return;
	eng.noted_sigs |= bit;
	char name[24];
	notemsg("ignored %s sent to compendium by pid %u (%s); tracing goes on",
		xlat_signal_label(sig, name), si->ssi_pid, why);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGINT || sig == SIGQUIT || sig == SIGTERM || sig == SIGHUP;
}

/*
 * Whether the command is held in vfork (waiting in kernel_clone for its
 * child to exec or exit) with sig neither caught nor ignored. Untraced, a
 * fatal signal kills it there at once; traced, the kernel does not take
 * that shortcut and the signal waits for the child (doc/ENGINE.md, 'Ctrl-C
 * and signals to the tracer').
 */
static bool held_in_vfork(int sig)
{
	char wchan[64];
	struct procfs_stat ps;
	ssize_t n = procfs_read(eng.root_pid, "wchan", wchan, sizeof(wchan) - 1);
	if (n <= 0 || procfs_stat(eng.root_pid, &ps) < 0 || ps.state != 'D')
		return false;
	wchan[n] = 0;
	uint64_t bit = 1ull << (sig - 1);
	uint64_t caught = (uint64_t)procfs_status_num(eng.root_pid, "SigCgt", 16, 0);
	uint64_t ignored = (uint64_t)procfs_status_num(eng.root_pid, "SigIgn", 16, 0);
	return !strcmp(wchan, "kernel_clone") && !((caught | ignored) & bit);
}

/* Pass a stop signal on to the launched command, which did not get it. */
static void forward(int sig)
{
	if (eng.root_pidfd < 0 || eng.root_done)
		return;
	syscall(SYS_pidfd_send_signal, eng.root_pidfd, sig, NULL, 0);
	if (held_in_vfork(sig)) {
		char name[24];
		notemsg("the command is held in vfork, where %s cannot reach it while traced; "
			"killing it, as %s would untraced", xlat_signal_label(sig, name), name);
		syscall(SYS_pidfd_send_signal, eng.root_pidfd, SIGKILL, NULL, 0);
	}
}

/* Why the signal si leaves the trace alone (said in the note), or NULL when it stops it. */
static const char *not_a_stop(const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;
	bool sent = si->ssi_code == SI_USER || si->ssi_code == SI_QUEUE || si->ssi_code == SI_TKILL;
	/*
	 * From a traced process: aimed at compendium (kill $PPID), or a group
	 * kill (kill 0) that reached the tracees by itself. Neither stops the
	 * trace; what the tracees got they handle.
	 */
	if (sent && si->ssi_pid && (int)si->ssi_pid != eng.self && proc_find(eng.ts, (int)si->ssi_pid))
		return "a traced process";
	if (sig == SIGPIPE && !(sent && (int)si->ssi_pid == eng.self))
		return "not a broken pipe of compendium's";
	if (!is_stop_signal(sig) && sig != SIGPIPE)
		return "only INT, QUIT, TERM and HUP stop or detach a trace";
	return NULL;
}

static void on_signal(const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;
	if (sig == SIGCHLD || !eng.ts)
		return; /* !eng.ts: the trace is over, nothing left to stop or detach */
	const char *why = not_a_stop(si);
	if (why) {
		note_ignored(si, why);
		return;
	}
	eng.r->interrupted = true;
	if (eng.attach) {
		eng_detach_all();
		return;
	}
	if (sig == SIGPIPE || eng.let_go) {
		eng_kill_tree(); /* let_go: the command is gone, the rest could not be detached */
		return;
	}
	/*
	 * A second SIGINT kills the launched tree (Ctrl-C twice), unless it
	 * came with the first: timeout(1) and kill -INT 0 send one to
	 * compendium and one to its process group, which compendium is in.
	 */
	uint64_t now = now_ns();
	if (sig == SIGINT) {
		if (eng.nint++ && now - eng.last_int >= DOUBLE_INT_NS) {
			eng_kill_tree();
			return;
		}
		eng.last_int = now;
	}
	/*
	 * From the terminal (Ctrl-C, Ctrl-\, hangup) the command got it too.
	 * From kill(1), timeout(1) or a service manager it may have (a group
	 * kill) or not: pass it on unless the command shows that it got it,
	 * just before or within FWD_WAIT_NS (signal_stop cancels).
	 */
	if (si->ssi_code == SI_KERNEL)
		return;
	eng.stop_passed = true; /* once the command has ended, the rest is detached (loop.c) */
	if (eng.fwd_sig == sig ||
	    (eng.root_sig_ns[sig] && now - eng.root_sig_ns[sig] < FWD_WAIT_NS))
		return;
	if (eng.fwd_sig)
		forward(eng.fwd_sig); /* another one pending: no reason to hold it longer */
	eng.fwd_sig = sig;
	__atomic_store_n(&eng.fwd_due, now + FWD_WAIT_NS, __ATOMIC_RELAXED);
}

void eng_signal_seen(const struct task *t, int sig)
{
	if (!t->proc || t->proc->pid != eng.root_pid || sig <= 0 || sig >= (int)ARRAY_SIZE(eng.root_sig_ns))
		return;
	eng.root_sig_ns[sig] = now_ns();
	if (sig == eng.fwd_sig)
		eng.fwd_sig = 0;
}

static void forward_due(void)
{
	if (eng.fwd_sig && now_ns() >= __atomic_load_n(&eng.fwd_due, __ATOMIC_RELAXED)) {
		forward(eng.fwd_sig);
		eng.fwd_sig = 0;
	}
	if (!eng.fwd_sig)
		__atomic_store_n(&eng.fwd_due, 0, __ATOMIC_RELAXED);
}

/*
 * Stop signals read by tracer_stop_requested() while the tracer waited for
 * an output inside a stop, handled at the wait loop's next look around.
 */
static struct signalfd_siginfo held[16];
static size_t nheld;

bool tracer_stop_requested(void)
{
	if (eng.r && eng.r->interrupted)
		return true;
	if (!sigs_on || !eng.ts)
		return false;
	struct signalfd_siginfo si;
	while (nheld < ARRAY_SIZE(held) && read(eng.sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		const char *why = si.ssi_signo == SIGCHLD ? NULL : not_a_stop(&si);
		if (why)
			note_ignored(&si, why); /* all on_signal would do */
		else if (si.ssi_signo != SIGCHLD)
			held[nheld++] = si;
	}
	if (nheld)
		atomic_store(&eng.wake_req, 1); /* the loop's next turn handles them */
	return nheld > 0;
}

static void drain_signals(void)
{
	for (size_t i = 0; i < nheld; i++)
		on_signal(&held[i]);
	nheld = 0;
	struct signalfd_siginfo si[8];
	ssize_t n;
	while ((n = read(eng.sigfd, si, sizeof(si))) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++)
			on_signal(&si[i]);
}

void eng_signals_restore(void)
{
	drain_signals();
	if (eng.fwd_sig) {
		forward(eng.fwd_sig); /* the command may still be there (attach never forwards) */
		eng.fwd_sig = 0;
	}
	signal(SIGPIPE, SIG_IGN); /* output errors become EPIPE from here on */
	sigs_on = false;
	close(eng.sigfd);
	for (int sig = 1; sig < (int)ARRAY_SIZE(eng.old_act); sig++)
		if (sig != SIGPIPE && (sigismember(&eng.caught, sig) == 1 || synchronous(sig)))
			sigaction(sig, &eng.old_act[sig], NULL);
	/*
	 * the stop signals stay blocked: the caller finishes its outputs first
	 * and unblocks them then (tracer.h, tracer_run); unblocked here, one
	 * arriving before the caller blocks them again would kill compendium
	 * with its default action
	 */
	sigset_t mask = eng.oldmask;
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	sigprocmask(SIG_SETMASK, &mask, NULL);
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
	forward_due();
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
	uint64_t due = __atomic_load_n(&eng.fwd_due, __ATOMIC_RELAXED);
	if (due) {
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
