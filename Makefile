# treadmilld — plain Makefile.  `make demo` and `make check` install any
# missing Debian packages first (scripts/deps.sh), then build and run.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
LIBDIR     ?= $(PREFIX)/lib
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
UNITDIR    ?= /lib/systemd/system
DESTDIR    ?=

CC      ?= cc
# libpq is the PostgreSQL history's alone: only history_pg.so (and the
# tests that link that backend in) take it.
PKGS_CORE = libmodbus libevent libconfig sqlite3 libsystemd jansson libmosquitto \
           libxcrypt
PKGS     = $(PKGS_CORE) libpq
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN     = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
           -Wformat=2 -Wno-format-nonliteral -Werror
# src/ is one folder per layer (ARCHITECTURE.md); headers are included by
# their bare name from any of them.
SRC_DIRS = core drive history control conf workout util http fleet
CPPFLAGS_ALL = -std=c11 -D_GNU_SOURCE -Iinclude -Isrc $(SRC_DIRS:%=-Isrc/%) -Ihw/sim -Itests/common \
           -DSYSCONFDIR='"$(SYSCONFDIR)"' -DLOCALSTATEDIR='"$(LOCALSTATEDIR)"' \
           -DPLUGINDIR='"$(LIBDIR)/treadmilld/plugins"' \
           -DHISTPGMOD='"$(LIBDIR)/treadmilld/history_pg.so"' \
           -DMAPDIR='"$(DATADIR)/treadmilld/maps"' \
           -DWEBDIR='"$(DATADIR)/treadmilld/web"' \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -ldl
LDLIBS_CORE = $(shell pkg-config --libs $(PKGS_CORE) 2>/dev/null) -lm -ldl

# make SANITIZE=1: AddressSanitizer + UndefinedBehaviorSanitizer.
ifeq ($(SANITIZE),1)
  SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

ALL_CFLAGS  = $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

# Sanitized objects live apart, so switching never mixes the two.
ifeq ($(SANITIZE),1)
  B = build-san
else
  B = build
endif

# The PostgreSQL history backend: a module of its own (history_pg.so),
# loaded only when the history is there.  The unit tests, the fuzzers and
# the benchmarks link it in (PG_OBJS).
PG_SRCS   = $(wildcard src/history/history_pg*.c)
PG_OBJS   = $(PG_SRCS:%.c=$(B)/%.o)
PG_PIC_OBJS = $(PG_SRCS:%.c=$(B)/pic/%.o)
# Daemon library: every source of the daemon except its entry point.
LIB_SRCS  = $(filter-out src/treadmilld.c $(PG_SRCS), $(wildcard src/*.c) \
	    $(foreach d,$(SRC_DIRS),$(wildcard src/$(d)/*.c)))
LIB_OBJS  = $(LIB_SRCS:%.c=$(B)/%.o)
SIM_SRCS  = $(filter-out hw/sim/main.c, $(wildcard hw/sim/*.c))
SIM_OBJS  = $(SIM_SRCS:%.c=$(B)/%.o)
CTL_SRCS  = $(wildcard src/treadctl/*.c)
CTL_OBJS  = $(CTL_SRCS:%.c=$(B)/%.o)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
# Code the unit tests and the fuzzers share (tests/common/).
TCOMMON_SRCS = $(wildcard tests/common/*.c)
TCOMMON_OBJS = $(TCOMMON_SRCS:%.c=$(B)/%.o)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

PROGS = $(B)/treadmilld $(B)/treadctl $(B)/treadsim

# Workout plugins: plugins/NAME/*.c -> NAME.so.
# plugins/common/ is code every plugin may share (built into each).
PLUGIN_NAMES = $(filter-out common,$(notdir $(wildcard plugins/*)))
PLUGIN_COMMON = $(wildcard plugins/common/*.c)
PLUGINS      = $(PLUGIN_NAMES:%=$(B)/plugins/%.so)
# Test plugins: each variant is tests/plugins/variant.c built with its
# own switch (-DTP_VARIANT_NAME); "bad" misbehaves in ways of its own.
# Both take their descriptor and entry point from tests/plugins/tplugin.h.
TPLUGIN_VARIANTS = good oldabi futureabi misnamed refuse noinit notick \
	   badintensity unresolved noentry checked oldrev
TPLUGIN_NAMES = $(TPLUGIN_VARIANTS) bad
TPLUGINS     = $(TPLUGIN_NAMES:%=$(B)/tests/plugins/%.so)

.PHONY: all deps check unit integration demo bench clean install uninstall \
	valgrind valgrind-unit fuzz fuzz-check soak

all: $(PROGS) $(B)/history_pg.so $(PLUGINS) $(TPLUGINS)

.SECONDEXPANSION:
# The loader refuses anything group- or world-writable: set the modes
# whatever the umask.
$(B)/plugins/%.so: $$(wildcard plugins/%/*.c) $$(wildcard plugins/%/*.h) \
    $(PLUGIN_COMMON) $$(wildcard plugins/common/*.h) include/treadmill/plugin.h
	@install -d -m 755 $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -fvisibility=hidden -Iplugins/$* \
	    -Iplugins/common -o $@ $(filter %.c,$^) -lm
	@chmod 755 $@

$(TPLUGIN_VARIANTS:%=$(B)/tests/plugins/%.so): $(B)/tests/plugins/%.so: \
    tests/plugins/variant.c tests/plugins/tplugin.h include/treadmill/plugin.h
	@install -d -m 755 $(B)/tests $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -DTP_NAME='"$*"' -DTP_VARIANT_$* \
	    -o $@ $< -lm
	@chmod 755 $@

$(B)/tests/plugins/bad.so: tests/plugins/bad.c tests/plugins/tplugin.h \
    include/treadmill/plugin.h
	@install -d -m 755 $(B)/tests $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< -lm
	@chmod 755 $@

deps:
	@sh scripts/deps.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -MMD -MP -c -o $@ $<

# What it needs of the daemon (log, memory, the spool, the tables) it
# takes from the executable, which exports its symbols (-rdynamic): one
# copy of each, one log.  Only its table is exported (history_module.h).
$(B)/history_pg.so: $(PG_PIC_OBJS)
	$(CC) $(ALL_LDFLAGS) -shared -o $@ $^ \
	    $(shell pkg-config --libs libpq 2>/dev/null) -lpthread
	@chmod 755 $@

$(B)/libtread.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/libsim.a: $(SIM_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/treadmilld: $(B)/src/treadmilld.o $(B)/libtread.a
	$(CC) $(ALL_LDFLAGS) -rdynamic -o $@ $^ $(LDLIBS_CORE)

$(B)/treadctl: $(CTL_OBJS) $(B)/libtread.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_CORE)

$(B)/treadsim: $(B)/hw/sim/main.o $(B)/libsim.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# Every unit test links the fixture helpers (tests/unit/testutil.c), the
# runner histories built by hand (tests/unit/fakehist.c) and what the
# tests and the fuzzers share (tests/common/: the invariant model,
# LeakSanitizer's suppressions).
$(B)/tests/%: $(B)/tests/unit/%.o $(B)/tests/unit/testutil.o \
    $(B)/tests/unit/fakehist.o $(TCOMMON_OBJS) $(PG_OBJS) $(B)/libsim.a \
    $(B)/libtread.a | $(PLUGINS) $(TPLUGINS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) \
	    $(LDLIBS_ALL) -lcmocka

# The history's tests on both backends share their fixture
# (tests/unit/histfx.c).
$(B)/tests/test_history $(B)/tests/test_decide: $(B)/tests/unit/histfx.o

# test_runwalk's rig (the easy plugin on treadsim's runner) links first:
# it runs bench/hrsteer's belt (bench/hrsim.c).
$(B)/tests/unit/rwrig.o $(B)/tests/unit/test_runwalk.o: ALL_CFLAGS += -Ibench
$(B)/tests/test_runwalk: $(B)/tests/unit/test_runwalk.o \
    $(B)/tests/unit/rwrig.o $(B)/bench/hrsim.o $(B)/tests/unit/testutil.o \
    $(TCOMMON_OBJS) $(B)/libsim.a $(B)/libtread.a | $(PLUGINS) $(TPLUGINS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_ALL) -lcmocka

# The history's suite runs on SQLite and on PostgreSQL: scripts/pg.sh
# starts a private cluster for the unit tests (TREAD_TEST_PG) and removes
# it afterwards; the integration tests start their own.
unit: $(UNIT_BINS)
	@sh scripts/pg.sh run sh -c 'fail=0; for t in $(UNIT_BINS); do \
	    $$t || fail=1; done; exit $$fail'

integration: $(PROGS)
	@BIN=$(CURDIR)/$(B) sh tests/integration/run.sh

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-check
	@$(MAKE) --no-print-directory integration

# libFuzzer harnesses (tests/fuzz/), built with clang, ASan and UBSan into
# build-fuzz/.  `make fuzz` runs each for FUZZ_SECONDS; `make check` runs
# each briefly on its seed corpus (tests/fuzz/corpus/NAME/).  New inputs
# go to a temporary directory, never into the tree.
FUZZ_CC      = clang
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=undefined
# clang warns of designated initializers that leave fields to zero, as C
# means them to.
FUZZ_CFLAGS  = $(CPPFLAGS_ALL) $(WARN) -Wno-missing-field-initializers \
	       -g -O1 -fno-omit-frame-pointer \
	       $(FUZZ_SAN) -fsanitize=fuzzer-no-link -DTOP='"$(CURDIR)"' \
	       -DMAP_PATH='"$(CURDIR)/hw/maps/reference.conf"' -Itests/fuzz
FB           = build-fuzz
FUZZ_NAMES   = telemetry control config profile regmap conninfo
FUZZ_BINS    = $(FUZZ_NAMES:%=$(FB)/fuzz_%)
FUZZ_LIB_OBJS = $(LIB_SRCS:%.c=$(FB)/%.o) $(PG_SRCS:%.c=$(FB)/%.o) \
	       $(TCOMMON_SRCS:%.c=$(FB)/%.o) \
	       $(FB)/tests/fuzz/fuzz.o
FUZZ_SECONDS ?= 300

$(FB)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_ALL)

# One harness, one binary per parser.
$(FB)/fuzz_config $(FB)/fuzz_profile $(FB)/fuzz_regmap: \
    tests/fuzz/fuzz_parse.c $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	    -DPARSE_$(shell echo $(@F) | sed 's/fuzz_//' | tr a-z A-Z) \
	    -o $@ $^ $(LDLIBS_ALL)

fuzz-check: deps $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FB) $${FUZZ_CHECK_SECONDS:-10} $(FUZZ_NAMES)

fuzz: deps $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FB) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Sessions back to back with faults injected at random, for SOAK_MINUTES
# (30): tick gaps, memory, rows lost, stops by cause (tests/soak/).  Not
# part of `make check`.
SOAK_MINUTES ?= 30
soak: deps all
	@SOAK_MINUTES=$(SOAK_MINUTES) python3 tests/soak/soak.py $(B)

# Unit tests and the integration suite with the daemon under valgrind.
# tests/valgrind.supp: what valgrind counts that is not ours (libconfig).
VALGRIND = valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite \
	--suppressions=$(CURDIR)/tests/valgrind.supp
valgrind-unit: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@sh scripts/pg.sh run sh -c 'fail=0; for t in $(UNIT_BINS); do \
	    $(VALGRIND) $$t || fail=1; done; exit $$fail'

valgrind: valgrind-unit
	@VALGRIND=1 BIN=$(CURDIR)/$(B) sh tests/integration/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh
	@sh bench/fleet.sh
	@sh bench/console.sh
	@$(MAKE) --no-print-directory $(B)/bench/decide $(B)/bench/hrsteer
	@$(B)/bench/decide $(B)/bench
	@$(MAKE) --no-print-directory $(B)/bench/pghistory
	@PG_FSYNC=on sh scripts/pg.sh run $(B)/bench/pghistory $(B)/bench
	@$(B)/bench/hrsteer

$(B)/bench/hrsteer: bench/hrsteer.c $(B)/bench/hrsim.o bench/hrsim.h \
    $(B)/libsim.a $(PLUGINS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/hrsteer.c \
	    $(B)/bench/hrsim.o $(B)/libsim.a -ldl -lm

# The shared history against SQLite: a private cluster (scripts/pg.sh)
# with durable commits, removed afterwards.
# The history benchmarks share bench/benchutil.c: the years of daily
# history and the timing of today's decision.
$(B)/bench/pghistory: bench/pghistory.c bench/benchutil.c $(PG_OBJS) \
    $(B)/libtread.a \
    bench/benchutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter-out %.h,$^) \
	    $(LDLIBS_ALL) -lpthread

$(B)/bench/decide: bench/decide.c bench/benchutil.c $(PG_OBJS) \
    $(B)/libtread.a \
    bench/benchutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter-out %.h,$^) \
	    $(LDLIBS_ALL) -lpthread

# Install.  Files under /etc are never overwritten: the examples go to
# the doc directory and are copied to /etc only where nothing is there.
EXAMPLES = $(DATADIR)/doc/treadmilld/examples
ETCDIR   = $(SYSCONFDIR)/treadmilld
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(DATADIR)/treadmilld/maps $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(LIBDIR)/treadmilld/plugins \
	    $(DESTDIR)$(EXAMPLES)/profiles.d $(DESTDIR)$(ETCDIR) \
	    $(DESTDIR)$(LIBDIR)/sysusers.d
	install -d -m 750 $(DESTDIR)$(LOCALSTATEDIR)/lib/treadmilld
	install -m 755 $(B)/treadmilld $(DESTDIR)$(SBINDIR)/treadmilld
	install -m 755 $(B)/treadctl $(B)/treadsim $(DESTDIR)$(BINDIR)/
	install -m 644 hw/maps/*.conf $(DESTDIR)$(DATADIR)/treadmilld/maps/
	install -d $(DESTDIR)$(DATADIR)/treadmilld/web
	install -m 644 web/* $(DESTDIR)$(DATADIR)/treadmilld/web/
	install -m 644 $(B)/history_pg.so $(DESTDIR)$(LIBDIR)/treadmilld/
	for p in $(PLUGINS); do install -m 644 "$$p" \
	    $(DESTDIR)$(LIBDIR)/treadmilld/plugins/; done
	for p in man/*.[158]; do [ -f "$$p" ] || continue; \
	    s=$${p##*.}; install -m 644 "$$p" $(DESTDIR)$(MANDIR)/man$$s/; done
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    etc/systemd/treadmilld.service.in >$(DESTDIR)$(UNITDIR)/treadmilld.service
	chmod 644 $(DESTDIR)$(UNITDIR)/treadmilld.service
	install -m 644 etc/systemd/treadmilld.sysusers \
	    $(DESTDIR)$(LIBDIR)/sysusers.d/treadmilld.conf
	install -m 644 etc/treadmilld.conf $(DESTDIR)$(EXAMPLES)/
	install -m 644 etc/profiles/*.conf $(DESTDIR)$(EXAMPLES)/profiles.d/
	@if [ -z "$(DESTDIR)" ] && ! id treadmilld >/dev/null 2>&1; then \
	    if command -v systemd-sysusers >/dev/null 2>&1; then \
	        systemd-sysusers $(LIBDIR)/sysusers.d/treadmilld.conf; \
	    else groupadd -f treadstaff && groupadd -f treadconsole && \
	        useradd --system --home-dir $(LOCALSTATEDIR)/lib/treadmilld \
	        --shell /usr/sbin/nologin -G dialout,treadstaff,treadconsole \
	        treadmilld; fi; fi
	[ -e $(DESTDIR)$(ETCDIR)/treadmilld.conf ] || \
	    install -m 644 etc/treadmilld.conf $(DESTDIR)$(ETCDIR)/treadmilld.conf
	# A runner's profile is health data: root's, read by the daemon's
	# group only (when it exists and we may give files to it).  What is
	# there already is staff's: never overwritten, nor its mode changed.
	g=$$(getent group treadmilld >/dev/null && [ "$$(id -u)" = 0 ] && \
	    echo treadmilld); d=$(DESTDIR)$(ETCDIR)/profiles.d; \
	[ -d "$$d" ] || install -d -m 750 $${g:+-g "$$g"} "$$d" || exit 1; \
	for f in etc/profiles/*.conf; do t=$$d/$${f##*/}; [ -e "$$t" ] || \
	    install -m 640 $${g:+-g "$$g"} "$$f" "$$t" || exit 1; done
	@if [ -z "$(DESTDIR)" ] && id treadmilld >/dev/null 2>&1; then \
	    chown treadmilld:treadmilld $(LOCALSTATEDIR)/lib/treadmilld; fi

# Removes what install put outside /etc; configuration and history stay.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/treadmilld $(DESTDIR)$(BINDIR)/treadctl \
	    $(DESTDIR)$(BINDIR)/treadsim $(DESTDIR)$(UNITDIR)/treadmilld.service \
	    $(DESTDIR)$(LIBDIR)/sysusers.d/treadmilld.conf
	rm -f $(DESTDIR)$(MANDIR)/man8/treadmilld.8 \
	    $(DESTDIR)$(MANDIR)/man5/treadmilld.conf.5 \
	    $(DESTDIR)$(MANDIR)/man1/treadctl.1 $(DESTDIR)$(MANDIR)/man1/treadsim.1
	rm -rf $(DESTDIR)$(DATADIR)/treadmilld $(DESTDIR)$(DATADIR)/doc/treadmilld
	rm -f $(PLUGIN_NAMES:%=$(DESTDIR)$(LIBDIR)/treadmilld/plugins/%.so)
	rm -f $(DESTDIR)$(LIBDIR)/treadmilld/history_pg.so
	-rmdir $(DESTDIR)$(LIBDIR)/treadmilld/plugins $(DESTDIR)$(LIBDIR)/treadmilld
	@echo "kept $(DESTDIR)$(ETCDIR) and $(DESTDIR)$(LOCALSTATEDIR)/lib/treadmilld"

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(B) $(FB) -name '*.d' 2>/dev/null)
