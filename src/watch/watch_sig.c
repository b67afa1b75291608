/* SPDX-License-Identifier: MIT */
/* watch_sig: what both samplers' loops share: the stop and reload signals, and the sleep to the next tick. */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "watch/watch_int.h"

volatile int watch_sig_stop, watch_sig_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		watch_sig_hup = 1;
	else
		watch_sig_stop = sig;
}

void watch_signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: the sleep must end at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

uint64_t watch_tick_sleep(uint64_t tick, uint64_t interval_ns, bool hup_wakes)
{
	/* absolute deadlines: the period never drifts; missed ticks are skipped, not bunched */
	uint64_t next = tick + interval_ns, now = now_ns();
	if (next <= now)
		next = now + interval_ns - (now - tick) % interval_ns;
	struct timespec dl = { .tv_sec = (time_t)(next / 1000000000u), .tv_nsec = (long)(next % 1000000000u) };
	while (!watch_sig_stop && !(hup_wakes && watch_sig_hup))
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL) != EINTR)
			break;
	return next;
}
