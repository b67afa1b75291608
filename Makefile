# SPDX-License-Identifier: MIT
# compendium: one hand-written GNU Makefile. Everything it makes goes to $(BUILD).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR ?=
BUILD   ?= build
.DEFAULT_GOAL := all

CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config
PKGS    := libunwind-ptrace libunwind-generic capstone libcjson zlib libbpf

WARN := -std=gnu11 -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	-Wshadow -Wwrite-strings -Wundef -Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

VERSION := 0.1.0

# Plain `make` never installs anything: when pkg-config cannot find the
# build dependencies it stops with one line naming them and the command that
# installs them. `make deps`, `make demo` and `make check` install (as root,
# Debian 12) through .ci/deps.sh and say so. `make lint` needs them too (it
# compiles every header) but installs nothing.
DEPS_OK := $(shell $(PKG_CONFIG) --exists $(PKGS) 2>/dev/null && echo yes)
INSTALLING_GOALS := demo check test check-deps deps clean check-layers
ifneq ($(DEPS_OK),yes)
ifeq ($(filter $(INSTALLING_GOALS),$(MAKECMDGOALS)),)
DEPS_MISSING := $(shell sh .ci/deps.sh missing build 2>/dev/null)
ifneq ($(DEPS_MISSING),)
$(error build dependencies missing: $(DEPS_MISSING); run 'make deps' as root (or: apt-get install $(DEPS_MISSING)))
else
$(error $(PKG_CONFIG) cannot find $(PKGS); check PKG_CONFIG_PATH (on Debian 12, 'make deps' as root installs them))
endif
endif
ifneq ($(filter demo check test,$(MAKECMDGOALS)),)
$(info compendium: build dependencies missing; installing them with .ci/deps.sh build)
DEPS_RC := $(shell sh .ci/deps.sh build >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error .ci/deps.sh build failed; install the packages it named and run make again)
endif
endif
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# capstone is not linked: src/forensics/disasm.c loads it at the first crash (it is
# a third of the start-up otherwise); the soname is the one built against
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(filter-out capstone,$(PKGS)) 2>/dev/null)
CAPSTONE_SONAME := $(shell readelf -d "$$($(PKG_CONFIG) --variable=libdir capstone 2>/dev/null)/libcapstone.so" \
	2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
ifneq ($(CAPSTONE_SONAME),)
PKG_CFLAGS += -DCAPSTONE_SONAME='"$(CAPSTONE_SONAME)"'
endif

ALL_CFLAGS  = $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -DCOMPENDIUM_VERSION='"$(VERSION)"' \
	-Isrc -I$(BUILD)/gen $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS        = $(PKG_LIBS) -lpthread -lm

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

# Every C file under src/ (one folder per layer, see doc/INTERNALS.md);
# the in-kernel programs (*.bpf.c) are built by the rules below.
SRCS := $(sort $(shell find src -name '*.c' ! -name '*.bpf.c'))
OBJS := $(SRCS:%.c=$(BUILD)/obj/%.o)
LIB_OBJS := $(filter-out $(BUILD)/obj/src/main.o,$(OBJS))

# Generated sources and headers: fragments add to GEN_HDRS / GEN_OBJS.
GEN_HDRS :=
GEN_OBJS :=
-include syscalls/syscalls.mk
-include report/report.mk

# --engine bpf (doc/BPF.md, 'Build'): src/engine/bpf/*.bpf.c compiled with
# clang for the BPF target against the running kernel's BTF (vmlinux.h,
# CO-RE relocations make the object load on other kernels with BTF), and a
# skeleton header that embeds the object; all of it in $(BUILD), never in git.
CLANG   ?= clang
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
BPF_SRCS := $(sort $(wildcard src/engine/bpf/*.bpf.c))
BPF_SKELS := $(BPF_SRCS:src/engine/bpf/%.bpf.c=$(BUILD)/gen/%.skel.h)
GEN_HDRS += $(BPF_SKELS)
.SECONDARY: $(BPF_SKELS) $(BPF_SRCS:src/engine/bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)

$(BUILD)/gen/vmlinux.h:
	@mkdir -p $(dir $@)
	@test -r $(VMLINUX_BTF) || { echo "compendium: $(VMLINUX_BTF) missing: the build needs a kernel with BTF (CONFIG_DEBUG_INFO_BTF) for --engine bpf; set VMLINUX_BTF to a BTF file" >&2; exit 1; }
	$(call say,BTF,$@)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: src/engine/bpf/%.bpf.c src/engine/bpf/rec.h $(BUILD)/gen/vmlinux.h
	@mkdir -p $(dir $@)
	$(call say,BPF,$<)
	$(Q)$(CLANG) -target bpf -g -O2 -Wall -D__TARGET_ARCH_x86 -I$(BUILD)/gen -Isrc -c -o $@ $<

$(BUILD)/gen/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call say,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name cpd_$* > $@.tmp && mv $@.tmp $@

BIN := $(BUILD)/compendium

.PHONY: all deps check check-deps test bench install uninstall clean demo lint lint-man lint-sh \
	lint-headers lint-docs check-layers
all: $(BIN)

$(BIN): $(OBJS) $(GEN_OBJS)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(OBJS) $(GEN_OBJS) $(LIBS)

$(BUILD)/obj/%.o: %.c | $(GEN_HDRS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# ---- tests ----
PROG_SRCS := $(sort $(wildcard tests/progs/*.c))
PROG_MAIN := $(filter-out tests/progs/lib_%.c,$(PROG_SRCS))
PROGS := $(PROG_MAIN:tests/progs/%.c=$(BUILD)/progs/%)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNITS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)
PROG_CFLAGS := -std=gnu11 -O1 -g -Wall -D_GNU_SOURCE -fno-inline -fno-optimize-sibling-calls

# A test program tests/progs/NAME.c may list extra sources in a comment
# line "// build: lib_a.c lib_b.c" and extra flags in "// cflags: ...".
$(BUILD)/progs/%: tests/progs/%.c $(wildcard tests/progs/lib_*.c)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(PROG_CFLAGS) $(shell sed -n 's|^// cflags: ||p' $<) -o $@ $< \
		$(addprefix tests/progs/,$(shell sed -n 's|^// build: ||p' $<)) -lpthread

$(BUILD)/unit/%: tests/unit/%.c $(LIB_OBJS) $(GEN_OBJS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJS) $(GEN_OBJS) $(ALL_LDFLAGS) $(LIBS) -lcmocka

check-deps:
	@sh .ci/deps.sh test

# check: the static checks first (a layer violation or a lint finding stops it
# early), then the build, then every test; ends with the runner's
# "N passed, N failed, N skipped" line.
test check: check-deps
	@$(MAKE) -k --no-print-directory check-layers lint || \
		{ echo "compendium: make check stopped: check-layers or lint failed (see above)" >&2; exit 1; }
	@$(MAKE) --no-print-directory $(BIN) $(PROGS) $(UNITS)
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) sh tests/run.sh

bench: $(BIN) $(PROGS)
	@BUILD=$(BUILD) sh tests/bench/run.sh

deps:
	@sh .ci/deps.sh build

demo: $(BIN)
	@sh tests/demo.sh $(BUILD)

# ---- static checks ----
# check-layers: the include rules of src/LAYERS (and no include cycles).
check-layers:
	@sh tests/layers/check.sh

# lint: the man page, every shell script under tests/ and .ci/ (shellcheck at
# severity warning: info and style findings are mostly quoting of values that
# hold no spaces), every header under src/ compiled alone, and the citations
# of doc/ in comments.
SH_SCRIPTS := $(sort $(shell find tests .ci -name node_modules -prune -o -name '*.sh' -print) .ci/run)
HDRS       := $(sort $(shell find src -name '*.h'))
LINT_OBJS  := $(HDRS:src/%.h=$(BUILD)/lint/%.o)

lint: lint-man lint-sh lint-headers lint-docs

# comments cite sections of doc/ that exist, and nothing outside the repository
lint-docs:
	@sh tests/layers/docs.sh

lint-man:
	@command -v mandoc >/dev/null || { echo "compendium: lint needs mandoc: run 'sh .ci/deps.sh test' as root" >&2; exit 1; }
	$(call say,MANDOC,man/compendium.1)
	$(Q)mandoc -Tlint -W warning man/compendium.1

lint-sh:
	@command -v shellcheck >/dev/null || { echo "compendium: lint needs shellcheck: run 'sh .ci/deps.sh test' as root" >&2; exit 1; }
	$(call say,SHCHECK,tests/ .ci/)
	$(Q)shellcheck -S warning $(SH_SCRIPTS)

lint-headers: $(LINT_OBJS)

# A header compiles on its own: a one-line .c that includes only it.
$(BUILD)/lint/%.o: src/%.h | $(GEN_HDRS)
	@mkdir -p $(dir $@)
	$(call say,HDR,$<)
	$(Q)printf '#include "%s"\n' '$*.h' >$(@:.o=.c)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $(@:.o=.c)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/compendium
	install -m 0644 man/compendium.1 $(DESTDIR)$(MANDIR)/man1/compendium.1
	@if [ -f assets/systemd/compendium-watch.service ]; then \
		install -d $(DESTDIR)$(UNITDIR); \
		sed 's|@BINDIR@|$(BINDIR)|g' assets/systemd/compendium-watch.service > $(DESTDIR)$(UNITDIR)/compendium-watch.service; \
		chmod 0644 $(DESTDIR)$(UNITDIR)/compendium-watch.service; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/compendium $(DESTDIR)$(MANDIR)/man1/compendium.1 \
		$(DESTDIR)$(UNITDIR)/compendium-watch.service

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d) $(UNITS:=.d) $(LINT_OBJS:.o=.d)
