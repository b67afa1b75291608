/* SPDX-License-Identifier: MIT */
/* main: the command line -> a run plan; then trace, render, watch or list. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "decode/decode.h"
#include "log/evlog.h"
#include "log/jsonl_read.h"
#include "sinks/jsonl.h"
#include "sinks/live.h"
#include "options.h"
#include "probes/pfault.h"
#include "sinks/report.h"
#include "log/run.h"
#include "sinks/summary.h"
#include "decode/traceexpr.h"
#include "engine/tracer.h"
#include "forensics/unwind.h"
#include "probes/sample.h"
#include "lib/msg.h"
#include "lib/outfile.h"
#include "lib/outq.h"
#include "lib/util.h"
#include "watch/watch.h"

/* The command line, read only here: every module gets its own settings from it. */
static struct options opt;

/* Exit status for usage errors (like getopt-based tools). */
#define EXIT_USAGE 2

enum long_only {
	OPT_JSON = 256,
	OPT_NO_FILTER,
	OPT_REPORT,
	OPT_REPORT_MODE,
	OPT_FROM,
	OPT_NO_REDACT,
	OPT_NO_SECCOMP,
	OPT_FAULTS,
	OPT_STACK_ON,
	OPT_SAMPLE,
	OPT_WATCH,
	OPT_INTERVAL,
	OPT_DUMP_DIR,
	OPT_CONFIG,
	OPT_LIST_DUMPS,
	OPT_COLOR,
	OPT_SAME_CPU,
	OPT_TREE,
	OPT_SORT,
	OPT_ENGINE,
	OPT_BPF_RING_SIZE,
};

static const struct option long_opts[] = {
	{"pid", required_argument, NULL, 'p'},
	{"verbose", no_argument, NULL, 'v'},
	{"expr", required_argument, NULL, 'e'},
	{"count", no_argument, NULL, 'c'},
	{"quiet", no_argument, NULL, 'q'},
	{"string-limit", required_argument, NULL, 's'},
	{"output", required_argument, NULL, 'o'},
	{"stack", no_argument, NULL, 'k'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"json", required_argument, NULL, OPT_JSON},
	{"no-filter", no_argument, NULL, OPT_NO_FILTER},
	{"report", required_argument, NULL, OPT_REPORT},
	{"report-mode", required_argument, NULL, OPT_REPORT_MODE},
	{"from", required_argument, NULL, OPT_FROM},
	{"no-redact", no_argument, NULL, OPT_NO_REDACT},
	{"no-seccomp", no_argument, NULL, OPT_NO_SECCOMP},
	{"faults", no_argument, NULL, OPT_FAULTS},
	{"stack-on", required_argument, NULL, OPT_STACK_ON},
	{"sample", required_argument, NULL, OPT_SAMPLE},
	{"watch", no_argument, NULL, OPT_WATCH},
	{"interval", required_argument, NULL, OPT_INTERVAL},
	{"dump-dir", required_argument, NULL, OPT_DUMP_DIR},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"list-dumps", no_argument, NULL, OPT_LIST_DUMPS},
	{"color", required_argument, NULL, OPT_COLOR},
	{"same-cpu", no_argument, NULL, OPT_SAME_CPU},
	{"tree", required_argument, NULL, OPT_TREE},
	{"sort", required_argument, NULL, OPT_SORT},
	{"engine", required_argument, NULL, OPT_ENGINE},
	{"bpf-ring-size", required_argument, NULL, OPT_BPF_RING_SIZE},
	{"trace-path", required_argument, NULL, 'P'},
	{"failed-only", no_argument, NULL, 'Z'},
	{"successful-only", no_argument, NULL, 'z'},
	{NULL, 0, NULL, 0},
};

static const char usage_text[] =
	"usage: compendium [options] [--] CMD [ARGS...]\n"
	"       compendium [options] -p PID [-p PID...]\n"
	"       compendium --report FILE --from LOG\n"
	"       compendium --watch [--interval S] [--dump-dir DIR] [--config FILE]\n"
	"       compendium --watch -p PID [--interval S] [--json FILE]\n"
	"       compendium --list-dumps [--dump-dir DIR] [--json -] [--sort ORDER]\n"
	"\n"
	"Trace a command and its whole process tree (or attach to running\n"
	"processes) and tell what it did: files, network, memory, I/O, processes,\n"
	"signals. A live narrative on stderr, a summary at the end.\n"
	"\n"
	"Tracing:\n"
	"  -p, --pid PID          attach to a running process (every thread); repeatable;\n"
	"                         Ctrl-C detaches and leaves it running\n"
	"  -e, --expr trace=LIST  select syscall classes (file network memory io process\n"
	"                         signal ipc desc, and strace's %creds %clock %stat\n"
	"                         %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure),\n"
	"                         syscall names and /REGEX; ?ITEM: no error if unknown;\n"
	"                         !NAME negates; a call named (or regex, %creds...)\n"
	"                         that has no event of its own gets a generic\n"
	"                         'syscall' event and line\n"
	"  -e status=LIST         record only calls that ended so: successful, failed,\n"
	"                         unfinished (unavailable, detached: never here); !LIST\n"
	"  -Z, --failed-only      the same as -e status=failed\n"
	"  -z, --successful-only  the same as -e status=successful\n"
	"  -P, --trace-path PATH  record only calls that touch PATH (a path argument as\n"
	"                         written, or an fd naming it); repeatable; a symlink or\n"
	"                         relative PATH also matches what it resolves to\n"
	"  -e signal=SET          record only these signals (INT, SIGINT, 2, all, none, !)\n"
	"  -e quiet=LIST          narrate no attach (attached/detached), exit lines, or\n"
	"                         path-resolution note; all, none (strace's -q is -q here:\n"
	"                         no narrative at all)\n"
	"                         status=, -P and signal= decide what is recorded: the\n"
	"                         narrative, --json, summary and report agree; process\n"
	"                         lines (spawn, exec, exit) stay, as in strace\n"
	"  -v, --verbose          print every syscall strace-like with decoded arguments\n"
	"  -c, --count            add a per-syscall table (calls, errors, time) to the summary\n"
	"  -s, --string-limit N   show at most N bytes of each string (default 64)\n"
	"  -f, -F                 accepted for strace users: children are always followed\n"
	"  -ff                    with -o FILE: one narrative file per process and thread,\n"
	"                         FILE.TID, as strace -ff (the summary goes to stderr)\n"
	"  -t, -tt, -ttt          stamp lines with the wall clock: HH:MM:SS, with\n"
	"                         microseconds, or epoch seconds with microseconds\n"
	"  -r                     stamp lines with the time since the previous line\n"
	"  -T                     show the time spent in each call: <0.000123> (-v lines\n"
	"                         always end with it; narrative lines get it with -T)\n"
	"  -x, -xx                -v strings with non-ASCII bytes in hex, or all in hex\n"
	"  -y, -yy                fds are always named; -yy adds socket endpoints and\n"
	"                         device numbers in -v lines\n"
	"      --no-filter        show /proc, /sys, /dev, dynamic-linker files and loopback\n"
	"                         traffic, hidden from the narrative and summary by default\n"
	"      --no-seccomp       stop at every syscall instead of using a seccomp filter\n"
	"      --same-cpu         run compendium and the command on one CPU: much faster\n"
	"                         stops on VMs, but the command's parallel work shares it\n"
	"      --engine ENGINE    ptrace (the default) or bpf: an in-kernel program that\n"
	"                         never stops the command (root; no -p, -k, --faults yet)\n"
	"      --bpf-ring-size N  the bpf engine's ring buffer in bytes (K, M suffixes; a\n"
	"                         power of two, 64K to 1G; default 8M)\n"
	"  -k, --stack            record the user-space call stack at traced syscalls\n"
	"      --stack-on LIST    only at these syscalls or event types (comma list)\n"
	"      --faults           count and sample page faults (perf_event_open)\n"
	"      --sample SECONDS   record CPU% and RSS of traced processes every SECONDS\n"
	"\n"
	"Output:\n"
	"  -o, --output FILE      write the narrative and summary to FILE instead of stderr\n"
	"  -q, --quiet            no live narrative (the summary is still printed)\n"
	"      --json FILE        stream the event log as JSON Lines to FILE; with - the log\n"
	"                         is stdout and the command's stdout goes to stderr\n"
	"      --report FILE      write a self-contained HTML report to FILE\n"
	"      --report-mode MODE file mode of the report, octal (default 0600)\n"
	"      --from LOG         render a saved --json log or --watch dump (with --report),\n"
	"                         or write it again as the current JSON version (with --json)\n"
	"      --no-redact        keep secrets (tokens, passwords) in the report and dumps;\n"
	"                         only these are redacted: the narrative, -o and --json\n"
	"                         show what was traced (their files are created 0600)\n"
	"      --color WHEN       colour the narrative: auto (default), always, never\n"
	"      --tree MODE        the summary's process tree: auto (default: repeated\n"
	"                         children folded, at most 300 lines) or all\n"
	"\n"
	"Watching (spike sampler):\n"
	"      --watch            sample /proc and write dumps when something spikes\n"
	"      --interval SECONDS sampling interval (default 1; fractions allowed)\n"
	"      --dump-dir DIR     where dumps go (default /var/lib/compendium)\n"
	"      --config FILE      config file (default /etc/compendium/watch.conf)\n"
	"      --list-dumps       list the dumps in the dump directory, oldest trigger first\n"
	"      --sort ORDER       --list-dumps order: time (default), kind (then time),\n"
	"                         size (largest first)\n"
	"\n"
	"  -h, --help             show this help\n"
	"  -V, --version          show the version\n"
	"\n"
	"The exit status is the traced command's (128+N if a signal N killed it);\n"
	"74 if it succeeded but an output (-o, --json, -ff, --report) failed.\n"
	"See compendium(1) for the event schema and details.\n";

static NORETURN void usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void usage_error(const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	die(EXIT_USAGE, "%s (see compendium --help)", b.data);
}

static int parse_pid(const char *s)
{
	long long v;
	int rc = parse_ll(s, INT32_MIN, INT32_MAX, &v);
	if (rc == -ERANGE)
		usage_error("--pid %s: not a valid process id (out of range)", s);
	if (rc < 0)
		usage_error("--pid '%s': not a number; give the numeric id of a running process", s);
	if (v <= 0)
		usage_error("--pid %lld: not a valid process id (must be a positive number)", v);
	if (v == getpid())
		usage_error("--pid %lld: refusing to trace compendium itself", v);
	return (int)v;
}

static double parse_seconds(const char *name, const char *s, double min)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min) || v > 86400.0)
		usage_error("%s '%s': expected a number of seconds (at least %g)", name, s, min);
	return v;
}

/*
 * -P: each path as given, and what it resolves to when that differs (a
 * symlink, a relative path), said once as strace says it unless
 * -e quiet=path-resolution. Matching is literal (decode/decode_sel.c).
 */
static void resolve_paths(void)
{
	unsigned n = opt.npaths;
	for (unsigned i = 0; i < n; i++) {
		char *real = realpath(opt.paths[i], NULL);
		if (!real || !strcmp(real, opt.paths[i])) {
			free(real);
			continue;
		}
		if (!(opt.quals.quiet & EXPR_QUIET_PATH))
			notemsg("Requested path \"%s\" resolved into \"%s\"", opt.paths[i], real);
		opt.paths = xreallocarray(opt.paths, (size_t)opt.npaths + 1, sizeof(*opt.paths));
		opt.paths[opt.npaths++] = real; /* kept until exit */
	}
	if (opt.npaths)
		trace_sel_name_path_calls(&opt.trace);
}

/* --bpf-ring-size: bytes with an optional K, M or G; a power of two from 64 KiB to 1 GiB. */
static size_t parse_ring_size(const char *arg)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	unsigned shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	else if (*end == 'G' || *end == 'g')
		shift = 30, end++;
	if (errno || end == arg || *end || v == 0 || v > (1ull << 30) >> shift)
		usage_error("--bpf-ring-size '%s': expected bytes with an optional K, M or G suffix, 64K to 1G", arg);
	v <<= shift;
	if (v < (64u << 10) || (v & (v - 1)))
		usage_error("--bpf-ring-size '%s': expected a power of two from 64K to 1G (e.g. 8M)", arg);
	return (size_t)v;
}

/*
 * --engine bpf, phase one (doc/BPF.md, 'What it does not do'): a launched
 * command only, and nothing that needs the command stopped.
 */
static void check_engine_bpf(void)
{
	static const char tail[] = "; use --engine ptrace";
	if (opt.mode != MODE_TRACE)
		usage_error("--engine bpf is for tracing (not with --watch, --list-dumps or --from)");
	if (opt.npids)
		usage_error("--engine bpf does not support -p yet%s", tail);
	if (opt.stack)
		usage_error("--engine bpf does not record stacks (-k, --stack-on) yet%s", tail);
	if (opt.faults)
		usage_error("--engine bpf does not count page faults (--faults) yet%s", tail);
	if (opt.sample_secs > 0)
		usage_error("--engine bpf does not sample (--sample) yet%s", tail);
	if (opt.no_seccomp)
		usage_error("--no-seccomp is a ptrace engine option (the bpf engine never stops the command)");
	if (opt.same_cpu)
		usage_error("--same-cpu is a ptrace engine option (the bpf engine never stops the command)");
	if (!opt.bpf_ring_size)
		opt.bpf_ring_size = 8u << 20;
}

static void parse_options(int argc, char **argv)
{
	const char *color = "auto";
	struct buf err = {0};
	int c;

	opt.strsize = 64;
	opt.report_mode = 0600;
	opt.trace.all = true;
	expr_quals_init(&opt.quals);
	opterr = 0; /* one message of our own instead of getopt's */
	/* '+': stop at the first non-option, it starts the command */
	while ((c = getopt_long(argc, argv, "+:p:ve:cqs:o:khVfFtTrxyP:Zz", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			opt.pids = xreallocarray(opt.pids, (size_t)opt.npids + 1, sizeof(*opt.pids));
			opt.pids[opt.npids++] = parse_pid(optarg);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'e':
			if (traceexpr_qualify(optarg, &opt.trace, &opt.quals, &err) < 0)
				usage_error("%s", err.data ? err.data : "invalid -e expression");
			break;
		case 'Z': /* strace: the last of -z, -Z and -e status= wins */
			opt.quals.status = EXPR_ST_FAILED;
			break;
		case 'z':
			opt.quals.status = EXPR_ST_SUCCESSFUL;
			break;
		case 'P':
			if (!*optarg)
				usage_error("-P needs a path");
			opt.paths = xreallocarray(opt.paths, (size_t)opt.npaths + 1, sizeof(*opt.paths));
			opt.paths[opt.npaths++] = optarg;
			break;
		case 'c':
			opt.summary_table = true;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 's': {
			long long v;
			if (parse_ll(optarg, 0, 1 << 20, &v) < 0)
				usage_error("-s '%s': expected a byte count from 0 to 1048576", optarg);
			opt.strsize = (int)v;
			break;
		}
		case 'o':
			opt.out_path = optarg;
			break;
		case 'k':
			opt.stack = true;
			break;
		case 'f':
		case 'F': /* strace's old spelling of -f */
			opt.follow++;
			break;
		case 't':
			opt.tstamp = opt.tstamp < 3 ? opt.tstamp + 1 : 3;
			break;
		case 'r':
			opt.relstamp = true;
			break;
		case 'T':
			opt.call_times = true;
			break;
		case 'x':
			opt.xhex = opt.xhex < 2 ? opt.xhex + 1 : 2;
			break;
		case 'y':
			opt.decode_fds = opt.decode_fds < 2 ? opt.decode_fds + 1 : 2;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case 'V':
			printf("compendium %s\n", COMPENDIUM_VERSION);
			exit(0);
		case OPT_JSON:
			opt.json_path = optarg;
			break;
		case OPT_NO_FILTER:
			opt.no_filter = true;
			break;
		case OPT_REPORT:
			opt.report_path = optarg;
			break;
		case OPT_REPORT_MODE: {
			char *end;
			errno = 0;
			unsigned long m = strtoul(optarg, &end, 8);
			if (errno || end == optarg || *end || m > 0777)
				usage_error("--report-mode '%s': expected an octal file mode such as 0600",
					    optarg);
			opt.report_mode = (unsigned)m;
			break;
		}
		case OPT_FROM:
			opt.from_path = optarg;
			break;
		case OPT_NO_REDACT:
			opt.no_redact = true;
			break;
		case OPT_NO_SECCOMP:
			opt.no_seccomp = true;
			break;
		case OPT_SAME_CPU:
			opt.same_cpu = true;
			break;
		case OPT_FAULTS:
			opt.faults = true;
			break;
		case OPT_STACK_ON:
			opt.stack = true;
			opt.stack_on = optarg;
			break;
		case OPT_SAMPLE:
			opt.sample_secs = parse_seconds("--sample", optarg, 0.01);
			break;
		case OPT_WATCH:
			opt.mode = MODE_WATCH;
			break;
		case OPT_INTERVAL:
			opt.interval = parse_seconds("--interval", optarg, 0.01);
			break;
		case OPT_DUMP_DIR:
			opt.dump_dir = optarg;
			break;
		case OPT_CONFIG:
			opt.config_path = optarg;
			break;
		case OPT_LIST_DUMPS:
			opt.mode = MODE_LIST;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				usage_error("--color '%s': expected auto, always or never", optarg);
			color = optarg;
			break;
		case OPT_SORT:
			if (strcmp(optarg, "time") && strcmp(optarg, "kind") && strcmp(optarg, "size"))
				usage_error("--sort '%s': expected time, kind or size", optarg);
			opt.list_sort = optarg;
			break;
		case OPT_TREE:
			if (strcmp(optarg, "auto") && strcmp(optarg, "all"))
				usage_error("--tree '%s': expected auto or all", optarg);
			opt.tree_all = !strcmp(optarg, "all");
			break;
		case OPT_ENGINE:
			if (strcmp(optarg, "ptrace") && strcmp(optarg, "bpf"))
				usage_error("--engine '%s': expected ptrace or bpf", optarg);
			opt.engine_bpf = !strcmp(optarg, "bpf");
			break;
		case OPT_BPF_RING_SIZE:
			opt.bpf_ring_size = parse_ring_size(optarg);
			break;
		case ':':
			usage_error("%s needs an argument", argv[optind - 1]);
		default: {
			const char *why = strace_unsupported_option(optopt, optopt ? NULL : argv[optind - 1]);
			if (why)
				die(EXIT_USAGE, "%s", why);
			if (optopt && optopt != '?')
				usage_error("unknown option '-%c'", optopt);
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
		}
	}
	resolve_paths();
	buf_free(&err);
	opt.argv = argv + optind;
	opt.argc = argc - optind;

	if (opt.mode == MODE_TRACE && opt.from_path) {
		if (!opt.report_path && !opt.json_path)
			usage_error("--from needs --report FILE (or --json FILE) to say where the output goes");
		if (opt.argc || opt.npids)
			usage_error("--from renders a saved log; it takes no command and no --pid");
		opt.mode = MODE_RENDER;
	}
	if (opt.mode == MODE_TRACE) {
		if (opt.argc && opt.npids)
			usage_error("give either a command or --pid, not both");
		if (!opt.argc && !opt.npids)
			usage_error("no command given; usage: compendium [options] -- CMD [ARGS...]");
	}
	if (opt.list_sort && opt.mode != MODE_LIST)
		usage_error("--sort orders the --list-dumps listing; add --list-dumps or drop --sort");
	if ((opt.mode == MODE_WATCH || opt.mode == MODE_LIST) && opt.argc)
		usage_error("%s takes no command ('%s' is extra)",
			    opt.mode == MODE_WATCH ? "--watch" : "--list-dumps", opt.argv[0]);

	if (opt.engine_bpf)
		check_engine_bpf();
	else if (opt.bpf_ring_size)
		usage_error("--bpf-ring-size is for --engine bpf");
	if (opt.json_path && opt.out_path && !strcmp(opt.json_path, "-") && !strcmp(opt.out_path, "-"))
		usage_error("--json - and -o - would both write to stdout; send one of them to a file");

	if (!strcmp(color, "always"))
		opt.color = true;
	else if (!strcmp(color, "auto")) {
		int fd = opt.out_path ? -1 : 2;
		/* no-color.org: NO_COLOR set and non-empty turns colour off */
		const char *nc = getenv("NO_COLOR");
		opt.color = fd >= 0 && isatty(fd) && !(nc && *nc);
	}
}

/*
 * Open an output file before anything starts, so a bad path fails at once
 * rather than after an hour of tracing. "-" is stdout. A new file is 0600,
 * like the report: the log and the narrative hold what was traced,
 * secrets included (doc/SAFETY.md, 'Secrets'); the rest of the rules
 * (no symbolic link followed, someone else's file in /tmp refused, a FIFO
 * waited for) are lib/outfile.h's.
 */
static int open_output(const char *what, const char *path)
{
	if (!strcmp(path, "-"))
		return 1;
	const char *why;
	int fd = outfile_open(path, &why);
	if (fd < 0) {
		if (fd == -EISDIR || fd == -ELOOP || fd == -EPERM)
			die(1, "%s %s: %s", what, path, why);
		die(1, "%s %s: %s: %s", what, path, why, strerror(-fd));
	}
	return fd;
}

/*
 * -ff -o FILE: FILE.TID files are created as threads appear (live_ff.c);
 * their directory is checked now, so that a bad path fails before the
 * command starts.
 */
static void check_ff_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - path) + (slash == path), path) : xstrdup(".");
	struct stat st;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		die(1, "-ff -o %s: %s is not a directory", path, dir);
	if (access(dir, W_OK | X_OK) < 0)
		die(1, "-ff -o %s: cannot create files in %s: %s", path, dir, strerror(errno));
	free(dir);
}

static void fill_host(struct run *r)
{
	struct utsname u;
	if (uname(&u) == 0) {
		r->host = xstrdup(u.nodename);
		r->kernel = xstrdup(u.release);
	} else {
		r->host = xstrdup("");
		r->kernel = xstrdup("");
	}
}

/* EX_IOERR: the trace is complete but an output (-o, --json, -ff, the report) failed */
#define EXIT_OUTPUT_FAILED 74

/*
 * Leave the way the traced command did (doc/ENGINE.md, 'Exit the way the command did'): killed by signal N
 * means die of N too (without a core of our own), else exit with its code.
 */
static NORETURN void finish_exit(const struct run *r, bool output_failed)
{
	int status = run_exit_status(r);
	/* the command's failure is kept; a clean run whose output failed says so (man page, EXIT STATUS) */
	if (status == 0 && output_failed)
		status = EXIT_OUTPUT_FAILED;
	if (r->end == RUN_SIGNALED && r->sig > 0 && r->sig != SIGSTOP && r->sig != SIGKILL) {
		struct rlimit nocore = {0, 0};
		setrlimit(RLIMIT_CORE, &nocore);
		signal(r->sig, SIG_DFL);
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, r->sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(r->sig);
	}
	exit(status);
}

static int do_render(struct run *r)
{
	struct buf warnings = {0};
	unsigned nwarn = 0;
	if (opt.report_path && report_check_path(opt.report_path) < 0)
		return 1;
	/* the reader builds the log, start time and host facts from the file */
	evlog_free(r->log);
	r->log = NULL;
	free(r->host);
	free(r->kernel);
	r->host = r->kernel = NULL;
	if (jsonl_read(opt.from_path, r, &warnings, &nwarn) < 0)
		return 1;
	if (nwarn)
		warnmsg("%s: %u line%s could not be read; the report shows what could",
			opt.from_path, nwarn, nwarn == 1 ? "" : "s");
	if (opt.json_path) {
		/* the log again, in the current version (a version 1 log gets KEY_bytes) */
		int fd = open_output("--json", opt.json_path);
		int jrc = jsonl_sink_finish(jsonl_sink_new(r, fd));
		if (fd != 1)
			close(fd);
		if (jrc < 0) {
			notemsg("error: --json %s: %s", opt.json_path, strerror(-jrc));
			buf_free(&warnings);
			return 1;
		}
		if (!opt.report_path) {
			buf_free(&warnings);
			return 0;
		}
	}
	struct report_cfg rcfg = {.mode = opt.report_mode, .no_redact = opt.no_redact,
				  .warnings = nwarn ? warnings.data : NULL};
	int rc = report_write(r, opt.report_path, &rcfg);
	buf_free(&warnings);
	if (rc < 0)
		return 1;
	notemsg("report written to %s", opt.report_path);
	return 0;
}

/*
 * COMPENDIUM_FAULT_RING_PAGES: a smaller ring forces sample loss in tests,
 * a larger one helps fault-heavy programs, 0 is counting only (the
 * benchmark's baseline). -1 when unset.
 */
static int fault_ring_pages(void)
{
	const char *ring = getenv("COMPENDIUM_FAULT_RING_PAGES");
	long long v;

	if (!ring)
		return -1;
	if (parse_ll(ring, 0, 1024, &v) < 0 || (v & (v - 1)))
		die(2, "COMPENDIUM_FAULT_RING_PAGES=%s: must be 0 or a power of two up to 1024", ring);
	return (int)v;
}

/*
 * The cap on string bytes the event log holds (log/evlog.h): 1 GiB when a
 * --report, written from the log at the end, may show every name; 4 MiB
 * otherwise: the narrative and the --json log are written as events are
 * appended, and the summary is computed then (summary_follow).
 * COMPENDIUM_STRING_CAP (bytes, or with a K, M or G suffix: KiB, MiB, GiB)
 * sets it for both.
 */
static size_t string_cap(bool every_name)
{
	const char *env = getenv("COMPENDIUM_STRING_CAP");
	if (!env || !*env)
		return every_name ? (size_t)1 << 30 : (size_t)4 << 20;
	char num[32];
	size_t n = strlen(env), shift = 0;
	const char *suf = strchr("KMG", n ? env[n - 1] : 0);
	if (n && suf && *suf) {
		shift = (size_t)(suf - "KMG" + 1) * 10;
		n--;
	}
	long long v;
	if (n >= sizeof(num) || (memcpy(num, env, n), num[n] = '\0', parse_ll(num, 0, 1ll << 40, &v) < 0) ||
	    (unsigned long long)v > (1ull << 40) >> shift)
		die(2, "COMPENDIUM_STRING_CAP=%s: must be a byte count up to 1T (a K, M or G suffix allowed)", env);
	return (size_t)v << shift;
}

/* summary_traced()'s view of -e trace=. */
static bool opt_selected(void *ctx, unsigned nr)
{
	return sc_selected(ctx, nr);
}

/* The summary's "Recorded:" note under -e status= or -P: "failed calls touching /etc/hosts", or NULL. */
static const char *recorded_note(struct buf *b)
{
	static const char *const st[] = { "successful", "failed", "unfinished", "unavailable", "detached" };
	if (opt.quals.status == EXPR_ST_ALL && !opt.npaths)
		return NULL;
	if (opt.quals.status != EXPR_ST_ALL) {
		const char *sep = "";
		for (unsigned i = 0; i < ARRAY_SIZE(st); i++)
			if (opt.quals.status & (1u << i)) {
				buf_printf(b, "%s%s", sep, st[i]);
				sep = " or ";
			}
		buf_adds(b, opt.quals.status ? " " : "no ");
	}
	buf_adds(b, "calls");
	for (unsigned i = 0; i < opt.npaths; i++)
		buf_printf(b, "%s%s", i ? ", " : " touching ", opt.paths[i]);
	buf_adds(b, " (process lines and signals whole)");
	return b->data;
}

/*
 * The outputs' stop check (lib/outq.h): a stop signal during the trace (the
 * engine's), or one of INT, TERM, HUP, QUIT while the outputs finish after
 * it, when they are blocked and taken here (doc/SAFETY.md, 'Output that
 * cannot be written').
 */
static sigset_t finish_sigs;
static bool finishing, finish_stopped;

static bool outputs_stop(void *ctx)
{
	(void)ctx;
	if (tracer_stop_requested() || finish_stopped)
		return true;
	struct timespec zero = {0, 0};
	if (finishing && sigtimedwait(&finish_sigs, NULL, &zero) > 0)
		finish_stopped = true;
	return finish_stopped;
}

static void outputs_finishing(bool on)
{
	if (on) {
		sigemptyset(&finish_sigs);
		sigaddset(&finish_sigs, SIGINT);
		sigaddset(&finish_sigs, SIGTERM);
		sigaddset(&finish_sigs, SIGHUP);
		sigaddset(&finish_sigs, SIGQUIT);
	}
	sigprocmask(on ? SIG_BLOCK : SIG_UNBLOCK, &finish_sigs, NULL);
	finishing = on;
}

/* Returns whether an output failed (each said once). */
static bool do_trace(struct run *r)
{
	int json_fd = -1, out_fd = 2;
	bool failed = false;

	r->mode = opt.npids ? "attach" : "trace";
	r->same_cpu = -1;
	/* command lookup (127/126) and --pid checks fail before any output file exists */
	struct tracer_cfg tcfg = {
		.argv = opt.argv,
		.pids = opt.pids,
		.npids = opt.npids,
		.no_seccomp = opt.no_seccomp,
		.same_cpu = opt.same_cpu,
		.stdout_to_stderr = opt.json_path && !strcmp(opt.json_path, "-"),
		.signals_hidden = ~opt.quals.signals,
		.engine_bpf = opt.engine_bpf,
		.bpf_ring_size = opt.bpf_ring_size,
		/* -v and -c show each call */
		.bpf_coalesce = !opt.verbose && !opt.summary_table,
	};
	tracer_prepare(r, &tcfg);
	/*
	 * every output path is checked before the command starts, and after the
	 * command lookup and --pid checks: a command not found leaves no empty
	 * log behind
	 */
	if (opt.json_path)
		json_fd = open_output("--json", opt.json_path);
	/* -ff -o FILE: the narrative goes to FILE.TID files, the summary to stderr (as strace's messages) */
	bool ff = opt.follow >= 2 && opt.out_path && strcmp(opt.out_path, "-");
	if (ff)
		check_ff_dir(opt.out_path);
	else if (opt.out_path)
		out_fd = open_output("-o", opt.out_path);
	if (opt.report_path && report_check_path(opt.report_path) < 0)
		exit(1);
	unwind_configure(&(struct unwind_cfg){ .stack = opt.stack, .stack_on = opt.stack_on });
	struct decode_cfg dcfg = {
		.verbose = opt.verbose, .summary = opt.summary_table, .no_seccomp = opt.no_seccomp,
		.faults = opt.faults, .stack = opt.stack,
		.strsize = opt.strsize, .sel = opt.trace,
		.xhex = opt.xhex, .decode_fds = opt.decode_fds,
		.status = opt.quals.status, .paths = opt.paths, .npaths = opt.npaths,
	};
	decode_init(r->log, &dcfg);
	evlog_set_string_cap(r->log, string_cap(opt.report_path != NULL));
	summary_follow(r, opt.no_filter);

	outq_set_stop_check(outputs_stop, NULL);
	char *json_label = opt.json_path ? xasprintf("--json %s", opt.json_path) : NULL;
	char *out_label = opt.out_path && !ff ? xasprintf("-o %s", opt.out_path) : NULL;
	struct jsonl_sink *js = json_fd >= 0 ? jsonl_sink_stream(r, json_fd, json_label) : NULL;
	struct live_cfg live_cfg = {.verbose = opt.verbose, .no_filter = opt.no_filter,
				    .quiet = opt.quiet, .color = opt.color, .strsize = opt.strsize,
				    .tstamp = opt.tstamp, .relstamp = opt.relstamp,
				    .call_times = opt.call_times, .ff_path = ff ? opt.out_path : NULL,
				    .quiet_attach = opt.quals.quiet & EXPR_QUIET_ATTACH,
				    .quiet_exit = opt.quals.quiet & EXPR_QUIET_EXIT,
				    .out_label = out_label};
	struct live *lv = opt.quiet ? NULL : live_new(r, out_fd, &live_cfg);
	if (opt.faults)
		pfault_init(r, &(struct pfault_cfg){ .ring_pages = fault_ring_pages() });
	if (opt.sample_secs > 0)
		sample_init(r, opt.sample_secs);

	tracer_run(r);
	decode_fill_run_stats(r);

	outputs_finishing(true);
	bool out_lost = lv && live_finish(lv) < 0;
	failed |= out_lost;
	if (js && jsonl_sink_finish(js) < 0)
		failed = true; /* said by the sink's writer */
	struct summary_cfg summary_cfg = {.no_filter = opt.no_filter, .sc_table = opt.summary_table,
					  .same_cpu = opt.same_cpu, .strsize = opt.strsize,
					  .traced = summary_traced(opt_selected, &opt), .tree_all = opt.tree_all};
	struct buf note = {0};
	summary_cfg.recorded = recorded_note(&note);
	/* not after a narrative that failed or was cut: its file is full, or nobody reads it */
	int src = out_label && out_lost ? 0 : summary_print(r, out_fd, &summary_cfg);
	if (src < 0) {
		failed = true;
		if (out_label)
			warnmsg("%s: writing failed: %s; the summary is incomplete", out_label, strerror(-src));
	}
	buf_free(&note);
	if (opt.report_path) {
		struct report_cfg rcfg = {.mode = opt.report_mode, .no_redact = opt.no_redact};
		if (report_write(r, opt.report_path, &rcfg) == 0)
			notemsg("report written to %s", opt.report_path);
		else
			failed = true; /* said by the report */
	}
	decode_fini();
	if (json_fd > 2 && close(json_fd) < 0) {
		warnmsg("%s: %s", json_label, strerror(errno));
		failed = true;
	}
	if (out_fd > 2 && close(out_fd) < 0) {
		warnmsg("-o %s: %s", opt.out_path, strerror(errno));
		failed = true;
	}
	outputs_finishing(false);
	free(json_label);
	free(out_label);
	return failed;
}

/* Release what main owns in the run (the traced paths exit through finish_exit). */
static void run_release(struct run *r)
{
	evlog_free(r->log);
	r->log = NULL;
	free(r->host);
	free(r->kernel);
	run_free_results(r);
	free(opt.pids);
	free(opt.paths);
}

int main(int argc, char **argv)
{
	int rc;
	struct run run = {0};

	parse_options(argc, argv);
	/* the --watch and --list-dumps settings */
	const struct watch_cfg wcfg = {
		.config_path = opt.config_path,
		.dump_dir = opt.dump_dir,
		.interval = opt.interval,
		.json_path = opt.json_path,
		.pids = opt.pids,
		.npids = opt.npids,
		.no_redact = opt.no_redact,
		.sort = opt.list_sort,
	};
	run.log = evlog_new();
	run.argv = opt.argv;
	run.argc = opt.argc;
	run.end = RUN_RUNNING;
	fill_host(&run);

	switch (opt.mode) {
	case MODE_RENDER:
		rc = do_render(&run);
		break;
	case MODE_WATCH:
		run.mode = "watch";
		rc = watch_main(&run, &wcfg);
		break;
	case MODE_LIST:
		rc = watch_list(&wcfg);
		break;
	case MODE_TRACE:
	default:
		finish_exit(&run, do_trace(&run));
	}
	run_release(&run);
	return rc;
}
