# oxgate - OFTP <-> X.400 gateway toolkit.  GNU make.
#
#   make            build the programs into bin/
#   make check      unit tests under ASan+UBSan, shell tests, fuzz regressions
#   make check-valgrind   the same suite, without sanitizers (build/vg), every
#                   test program and program under valgrind memcheck
#   make demo       a round trip on a temporary spool
#   make bench      benchmarks (optimised build)
#   make fuzz       libFuzzer campaign, FUZZ_SECONDS per target (needs clang)
#   make deps       install the Debian packages the build and tests need
#   make deb        the Debian package oxgate_VERSION_amd64.deb (debian/)
#   make check-deb  build it twice, install, demo, upgrade, remove, purge
#   make install / uninstall   PREFIX, DESTDIR, sysconfdir, localstatedir,
#                   systemdunitdir (see INSTALL)

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
MANDIR		?= $(PREFIX)/share/man
sysconfdir	?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
localstatedir	?= $(if $(filter /usr,$(PREFIX)),/var,$(PREFIX)/var)
systemdunitdir	?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
DESTDIR		?=
VERSION		:= 0.1.0

CC		?= cc
PKGS		:= libcrypto zlib sqlite3 libpq libarchive gmime-3.0 jansson expat libmicrohttpd
PKG_CFLAGS	= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	= $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN		:= -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		   -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
DEFS		:= -D_GNU_SOURCE -DOX_VERSION='"$(VERSION)"' \
		   -DOX_SYSCONFDIR='"$(sysconfdir)"' -DOX_SPOOLDIR='"$(localstatedir)/spool/oxgate"'
CFLAGS		?= -O2 -g
ALL_CFLAGS	= -std=c11 $(WARN) $(DEFS) -Ilib -I/usr/include/iniparser $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LIBS		= -Wl,--as-needed $(PKG_LIBS) -liniparser -lcrypt
SAN		:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC		:= $(sort $(wildcard lib/*/*.c))
PROG_SRC	:= $(sort $(wildcard bin/*.c))
PROGS		:= $(PROG_SRC:.c=)
UNIT_SRC	:= $(sort $(wildcard tests/unit/t_*.c))
FUZZ_SRC	:= $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES	:= $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
TOOL_SRC	:= $(sort $(wildcard tests/tools/*.c))

B		:= build
REL_OBJ		:= $(LIB_SRC:%.c=$(B)/rel/%.o)
ASAN_OBJ	:= $(LIB_SRC:%.c=$(B)/asan/%.o)
UNITS		:= $(UNIT_SRC:tests/unit/%.c=$(B)/asan/tests/%)
REPLAYS		:= $(FUZZ_NAMES:%=$(B)/asan/tests/replay_%)
TOOLS		:= $(TOOL_SRC:tests/tools/%.c=$(B)/asan/tests/tools/%)
REL_TOOLS	:= $(TOOL_SRC:tests/tools/%.c=$(B)/rel/tests/tools/%)
ASAN_PROGS	:= $(PROG_SRC:bin/%.c=$(B)/asan/bin/%)
# check-valgrind: the same programs and tests built without sanitizers
# (valgrind and ASan do not mix) into $(B)/vg
VG_OBJ		:= $(LIB_SRC:%.c=$(B)/vg/%.o)
VG_BINS		:= $(UNIT_SRC:tests/unit/%.c=$(B)/vg/tests/%) \
		   $(FUZZ_NAMES:%=$(B)/vg/tests/replay_%) \
		   $(TOOL_SRC:tests/tools/%.c=$(B)/vg/tests/tools/%) \
		   $(PROG_SRC:bin/%.c=$(B)/vg/bin/%)

.PHONY: all check check-valgrind vg-unit demo bench fuzz deps install uninstall clean unit lint-man \
	deb deps-deb check-deb
.SUFFIXES:
.SECONDARY:

all: $(PROGS)

$(B)/rel/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/asan/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -MMD -MP -c -o $@ $<

$(B)/vg/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -O1 -g -MMD -MP -c -o $@ $<

$(B)/rel/liboxgate.a: $(REL_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/asan/liboxgate.a: $(ASAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/vg/liboxgate.a: $(VG_OBJ)
	@rm -f $@
	ar rcs $@ $^

bin/%: $(B)/rel/bin/%.o $(B)/rel/liboxgate.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/rel/liboxgate.a $(LIBS)

$(B)/asan/bin/%: $(B)/asan/bin/%.o $(B)/asan/liboxgate.a
	@mkdir -p $(@D)
	$(CC) $(SAN) -o $@ $< $(B)/asan/liboxgate.a $(LIBS)

$(B)/asan/tests/t_%: $(B)/asan/tests/unit/t_%.o $(B)/asan/tests/unit/test.o $(B)/asan/liboxgate.a
	$(CC) $(SAN) -o $@ $^ $(LIBS)

$(B)/asan/tests/tools/%: $(B)/asan/tests/tools/%.o $(B)/asan/liboxgate.a
	$(CC) $(SAN) -o $@ $^ $(LIBS)

$(B)/rel/tests/tools/%: $(B)/rel/tests/tools/%.o $(B)/rel/liboxgate.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(B)/asan/tests/replay_%: $(B)/asan/tests/fuzz/fuzz_%.o $(B)/asan/tests/fuzz/replay.o $(B)/asan/liboxgate.a
	$(CC) $(SAN) -o $@ $^ $(LIBS)

$(B)/vg/bin/%: $(B)/vg/bin/%.o $(B)/vg/liboxgate.a
	$(CC) -g -o $@ $^ $(LIBS)

$(B)/vg/tests/t_%: $(B)/vg/tests/unit/t_%.o $(B)/vg/tests/unit/test.o $(B)/vg/liboxgate.a
	$(CC) -g -o $@ $^ $(LIBS)

$(B)/vg/tests/tools/%: $(B)/vg/tests/tools/%.o $(B)/vg/liboxgate.a
	$(CC) -g -o $@ $^ $(LIBS)

$(B)/vg/tests/replay_%: $(B)/vg/tests/fuzz/fuzz_%.o $(B)/vg/tests/fuzz/replay.o $(B)/vg/liboxgate.a
	$(CC) -g -o $@ $^ $(LIBS)

unit: $(UNITS) $(REPLAYS) $(TOOLS) $(ASAN_PROGS) $(PROGS)

# The test runner prints one PASS/FAIL line per case and ends with
# "N passed, N failed"; it exits non-zero on any failure.
check: deps
	$(MAKE) unit
	@OX_BUILD=$(B) sh tests/run

# The same suite under valgrind memcheck (tests/run with OX_VALGRIND=1):
# every unit test, replay, test tool and program runs under valgrind;
# any error or leak, still reachable included, fails the test that ran
# it (suppressions: tests/valgrind.supp, GLib's type system only; the
# reports stay in $(B)/vg/log). Time and RSS limits are not checked:
# those cases say SKIP, not PASS. Slow; not part of make check.
vg-unit: $(VG_BINS) $(PROGS)

check-valgrind:
	@$(MAKE) deps DEB_PKGS='$(DEB_PKGS) valgrind'
	$(MAKE) vg-unit
	@OX_BUILD=$(B) OX_VALGRIND=1 sh tests/run

demo: deps
	$(MAKE) all $(REL_TOOLS)
	@OX_BUILD=$(B) sh tests/demo.sh

bench: deps
	$(MAKE) CFLAGS='-O2 -g' all $(REL_TOOLS)
	@OX_BUILD=$(B) sh tests/bench.sh

FUZZ_SECONDS	?= 60
# libFuzzer campaign over every target (or FUZZ_NAMES), FUZZ_SECONDS each:
# crash inputs land in tests/fuzz/regress/NAME, replayed by make check.
fuzz:
	@B=$(B) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/campaign.sh $(FUZZ_NAMES)

# Debian packages for building and testing. tshark asks whether non-root
# users may capture; the answer is preset to "no".
DEB_PKGS	:= gcc make pkg-config libssl-dev openssl zlib1g-dev libarchive-dev \
		   libiniparser-dev libsqlite3-dev sqlite3 libpq-dev postgresql libgmime-3.0-dev libjansson-dev libexpat1-dev \
		   libmicrohttpd-dev libcrypt-dev curl chromium chromium-driver nodejs \
		   tshark mandoc \
		   libarchive-tools util-linux time python3 strace
deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing" $$missing; \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "wireshark-common wireshark-common/install-setuid boolean false" | $$sudo debconf-set-selections && \
		$$sudo apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

# The Debian package (debian/), built by dpkg-buildpackage in a copy of
# the tree in $(B)/deb/src (its clean step would remove build/ here); the
# .deb files (the package and its -dbgsym) land in this directory.
# DEB_VERSION=V builds version V (the copy's changelog says so), for
# check-deb's upgrade. deps-deb: the packaging tools as well.
DEB_TOOLS	:= debhelper dpkg-dev fakeroot lintian
deps-deb:
	@$(MAKE) -s deps DEB_PKGS='$(DEB_PKGS) $(DEB_TOOLS)'

deb: deps-deb
	rm -rf $(B)/deb && mkdir -p $(B)/deb/src
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -co --exclude-standard | tar -cf - --ignore-failed-read -T -; \
	else tar -cf - --exclude=./$(B) --exclude='./oxgate*.deb' .; fi | tar -xf - -C $(B)/deb/src
	[ -z "$(DEB_VERSION)" ] || sed -i '1s/([^)]*)/($(DEB_VERSION))/' $(B)/deb/src/debian/changelog
	cd $(B)/deb/src && dpkg-buildpackage -us -uc -b
	mv $(B)/deb/*.deb .

# check-deb (as root, on Debian 12): tests/deb.sh, with the test tools the
# demo needs; PASS/FAIL lines and "N passed, N failed" as tests/run
check-deb: deps-deb
	$(MAKE) all $(REL_TOOLS)
	@OX_BUILD=$(B) sh tests/deb.sh

# a variable's value, for debian/rules: make -s print-SPOOL_HANDOFF
print-%:
	@echo '$($*)'

# make install: programs, man pages, the systemd units (the converters'
# template, oxweb), the cron
# file, sample configuration (never over an existing file) and the spool
# tree. Run as root without DESTDIR it also creates the system user and
# group oxgate (when missing) and gives them the spool and the
# configuration; with DESTDIR (packaging, tests) it never touches users or
# ownership. Directories that already exist keep their mode and owner.
#
# Spool permissions: the converters run as oxgate. The OFTP daemon and the
# X.400 MTA run as their own users, members of group oxgate. The hand-off
# queues (they write into the input queues and remove what they took from
# the output queues) and their tmp/ are 2770 (setgid: every file in them
# belongs to group oxgate); the root, oftp/, x400/ and the internal queues
# (failed, overflow, archive) are 0750: group members may look, only the
# converters write.
SPOOLDIR	= $(localstatedir)/spool/oxgate
SPOOL_HANDOFF	:= oftp/in oftp/out oftp/eerp.in oftp/eerp.out x400/in x400/out x400/reports
SPOOL_INTERNAL	:= failed overflow archive
CONF_SED	= -e 's|/var/spool/oxgate|$(SPOOLDIR)|g' -e 's|/etc/oxgate|$(sysconfdir)/oxgate|g'
UNIT_SED	= -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SPOOLDIR@|$(SPOOLDIR)|g'
AS_ROOT		= [ "$$(id -u)" = 0 ] && [ -z "$(DESTDIR)" ]

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	for m in man/*.[1578]; do [ -f "$$m" ] || continue; \
		install -m 644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/; done
	install -d $(DESTDIR)$(systemdunitdir)
	for u in etc/systemd/*.service; do t=$(DESTDIR)$(systemdunitdir)/$${u##*/}; \
		sed $(UNIT_SED) $$u > $$t.new && chmod 644 $$t.new && mv -f $$t.new $$t || exit 1; done
	if $(AS_ROOT); then \
		getent group oxgate >/dev/null || groupadd --system oxgate || exit 1; \
		getent passwd oxgate >/dev/null || useradd --system --gid oxgate \
		    --home-dir $(SPOOLDIR) --no-create-home --shell /usr/sbin/nologin \
		    --comment 'oxgate OFTP/X.400 gateway' oxgate || exit 1; \
	fi
	@own=; grp=; if $(AS_ROOT); then own=oxgate:oxgate; grp=root:oxgate; fi; \
	mk() { [ -d "$$3" ] && return 0; mkdir -p "$$3" && \
		{ [ -z "$$2" ] || chown "$$2" "$$3"; } && chmod "$$1" "$$3"; }; \
	s=$(DESTDIR)$(SPOOLDIR); \
	mk 0750 "$$own" $$s && mk 0750 "$$own" $$s/oftp && mk 0750 "$$own" $$s/x400 || exit 1; \
	for q in $(SPOOL_HANDOFF); do mk 2770 "$$own" $$s/$$q && mk 2770 "$$own" $$s/$$q/tmp || exit 1; done; \
	for q in $(SPOOL_INTERNAL); do mk 0750 "$$own" $$s/$$q && mk 0750 "$$own" $$s/$$q/tmp || exit 1; done; \
	mk 0750 "$$grp" $(DESTDIR)$(sysconfdir)/oxgate
	install -d $(DESTDIR)$(sysconfdir)/cron.d $(DESTDIR)$(sysconfdir)/oxgate/mapping
	[ -e $(DESTDIR)$(sysconfdir)/cron.d/oxgate ] || \
		sed 's|/usr/local/bin|$(BINDIR)|' etc/cron.d/oxgate > $(DESTDIR)$(sysconfdir)/cron.d/oxgate
	for f in oxgate.ini partners.ini; do t=$(DESTDIR)$(sysconfdir)/oxgate/$$f; [ -e $$t ] && continue; \
		sed $(CONF_SED) etc/$$f > $$t.new && chmod 640 $$t.new || exit 1; \
		if $(AS_ROOT); then chgrp oxgate $$t.new || exit 1; fi; mv $$t.new $$t || exit 1; done
	for f in etc/mapping/*; do [ -e $(DESTDIR)$(sysconfdir)/oxgate/mapping/$${f##*/} ] || \
		install -m 644 $$f $(DESTDIR)$(sysconfdir)/oxgate/mapping/; done
	if $(AS_ROOT) && [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi

# Configuration and the spool are the operator's data: they stay, and so do
# the user and group oxgate. The cron file goes when it is still the one
# installed. Stop the services first (systemctl disable --now 'oxgate@*').
uninstall:
	for p in $(notdir $(PROGS)); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in man/*.[1578]; do [ -f "$$m" ] || continue; \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; done
	for u in etc/systemd/*.service; do rm -f $(DESTDIR)$(systemdunitdir)/$${u##*/}; done
	sed 's|/usr/local/bin|$(BINDIR)|' etc/cron.d/oxgate | \
		cmp -s - $(DESTDIR)$(sysconfdir)/cron.d/oxgate && \
		rm -f $(DESTDIR)$(sysconfdir)/cron.d/oxgate || true
	if $(AS_ROOT) && [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi

clean:
	rm -rf $(B) $(PROGS) oxgate_*.deb oxgate-dbgsym_*.deb

-include $(shell find $(B) -path $(B)/deb -prune -o -name '*.d' -type f -print 2>/dev/null)
