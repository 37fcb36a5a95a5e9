# jumpbox: the only entry points. `make help` lists them.
# Sources and compiler output are cached outside the clone ($(JB_CACHE)).

JB_CACHE ?= $(HOME)/.cache/jumpbox
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1700000000)
VERSION ?= 0.1.0+g$(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
JOBS ?= $(shell nproc)
export JB_CACHE SOURCE_DATE_EPOCH JOBS
export CCACHE_DIR ?= $(JB_CACHE)/ccache

O ?= out
# The toolchain (kernel UAPI headers, musl static-PIE specs) is named by the
# content of what makes it, not by file times: checkouts and clones with other
# kernel configs or newer files share one and never rebuild it under another
# build (a kernel-config edit in one worktree used to wipe the shared headers
# while a second build compiled against them).
TC_INPUTS := build/toolchain/setup.sh build/toolchain/musl-static-pie.specs.in build/pkg/linux/build.sh \
	build/pkg/linux/source build/pkg/linux/sha256 build/fetch.sh
TC := $(JB_CACHE)/toolchain-$(shell cat $(TC_INPUTS) | sha256sum | cut -c1-16)
KHDR := $(TC)/khdr
JBCC := $(TC)/jb-cc
IMAGES ?= images
JB_CONFIG ?=

CFLAGS_JUMPD := -O2 -Wall -Wextra -Werror -std=c11 -D_GNU_SOURCE
# the site config's parser and the leaf modules it stands on (addresses, keys, whole-file reads)
SITECONF_SRCS := jumpd/common/siteconf.c jumpd/common/siteconf_names.c jumpd/common/siteconf_policy.c jumpd/common/siteconf_rec.c jumpd/common/addr.c \
	jumpd/common/authkey.c jumpd/common/readfile.c jumpd/mfa/base32.c
INIT_SRCS := $(filter-out %_test.c %_fuzz.c,$(wildcard jumpd/init/*.c)) $(SITECONF_SRCS) jumpd/common/durable.c \
	jumpd/common/hookproto.c jumpd/dropbear/jb-authhook.c
INIT_HDRS := $(wildcard jumpd/init/*.h jumpd/common/*.h jumpd/mfa/*.h)
COMMON_SRCS := $(SITECONF_SRCS) jumpd/common/hookproto.c jumpd/common/auditrec.c jumpd/common/auditsign.c \
	jumpd/common/durable.c jumpd/common/spoolhead.c jumpd/mfa/totp.c
JUMPD_SRCS := $(filter-out %_test.c %_fuzz.c,$(wildcard jumpd/daemon/*.c)) jumpd/dropbear/jb-authhook.c \
	jumpd/common/unixsock.c jumpd/common/sandbox.c jumpd/ship/spoolread.c jumpd/ship/cursor.c $(COMMON_SRCS)
JUMPMENU_SRCS := jumpd/menu/jumpmenu.c jumpd/menu/relay.c jumpd/common/fdpass.c jumpd/common/hookproto.c \
	jumpd/dropbear/jb-authhook.c jumpd/dropbear/jb-selector.c jumpd/ctl/recctl_client.c
REC_HDRS := $(wildcard jumpd/rec/*.h jumpd/ctl/*.h)
JUMPCTL_SRCS := jumpd/ctl/jumpctl.c jumpd/ctl/auditverify.c jumpd/ctl/recexport.c jumpd/ctl/recctl_client.c jumpd/rec/recchain.c \
	jumpd/dropbear/jb-authhook.c $(COMMON_SRCS)
# the firewall helper: glibc, linked to Debian's libnftnl/libmnl (DESIGN.md),
# which the image carries with glibc's loader in /usr/lib/jumpfw for it alone
JUMPFW_SRCS := $(filter-out %_test.c %_fuzz.c,$(wildcard jumpd/fw/*.c)) jumpd/common/addr.c \
	jumpd/common/unixsock.c jumpd/common/hookproto.c jumpd/common/consrate.c jumpd/dropbear/jb-authhook.c \
	jumpd/common/sandbox.c
CFLAGS_GLIBC_HARDENED := -fPIE -pie -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fcf-protection \
	-Wl,-z,relro,-z,now,-z,noexecstack -ffile-prefix-map=$(CURDIR)=.
JUMPD_HDRS := $(wildcard jumpd/fw/*.h) $(wildcard jumpd/daemon/*.h jumpd/common/*.h jumpd/mfa/*.h jumpd/dropbear/*.h jumpd/menu/*.h)
# jumprec: the session recorder (jumpd/rec/jumprec.c and its modules; the trail's writer, the parsers)
JUMPREC_SRCS := $(filter-out %_test.c %_fuzz.c jumpd/rec/recgen.c,$(wildcard jumpd/rec/*.c)) jumpd/common/fdpass.c jumpd/daemon/spool.c \
	jumpd/common/spoolhead.c \
	jumpd/common/scpparse.c jumpd/common/sftpparse.c jumpd/common/rsyncparse.c \
	jumpd/common/rsyncstream.c jumpd/common/rsyncdata.c jumpd/common/rsyncflist.c \
	jumpd/common/auditrec.c jumpd/common/readfile.c jumpd/common/hookproto.c jumpd/common/unixsock.c \
	jumpd/dropbear/jb-authhook.c jumpd/common/sandbox.c
# jumpship: the audit shipper (spoolgen in the same folder is a test tool, not shipped)
JUMPSHIP_SRCS := $(filter-out %_test.c %_fuzz.c jumpd/ship/spoolgen.c,$(wildcard jumpd/ship/*.c)) \
	$(SITECONF_SRCS) jumpd/common/hookproto.c jumpd/common/auditrec.c \
	jumpd/common/durable.c jumpd/common/spoolhead.c jumpd/dropbear/jb-authhook.c jumpd/common/sandbox.c
JUMPSHIP_HDRS := $(wildcard jumpd/ship/*.h jumpd/daemon/*.h jumpd/common/*.h jumpd/mfa/*.h jumpd/dropbear/*.h)
HOST_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=c11 -D_GNU_SOURCE -fstack-protector-strong -fPIE -pie -Wl,-z,relro,-z,now
BEARSSL := $(O)/pkg/bearssl
LINUX_INPUTS := $(wildcard build/pkg/linux/*) kernel-config/jumpbox.config kernel-config/cmdline build/fetch.sh
ROOTFS_FILES := $(shell find rootfs -type f)

.PHONY: FORCE all image run test bench fuzz clean distclean help deps unit repro
.DELETE_ON_ERROR:
.SECONDEXPANSION:

all: image

help:
	@echo "make            build images/jumpbox.efi, images/jumpbox.img, SHA256SUMS, manifest.json"
	@echo "make run        build if needed, boot the image in QEMU with a demo user, print the ssh command"
	@echo "make test       unit tests (ASan/UBSan), image tests under QEMU, reproducibility; ends 'N passed, N failed'"
	@echo "make repro      two full clean builds (kernel included) must be byte-identical (slow)"
	@echo "make bench      benchmarks: throughput and bastion CPU-s/GiB through ssh -J per cipher against OpenSSH (BENCH_MIB=256);"
	@echo "                server CPU per MFA login against a key-only login (BENCH_LOGINS=30);"
	@echo "                audit shipping: events/s and p99 latency to the collector, against rsyslog as shipper;"
	@echo "                boot to SSH banner under QEMU TCG, -kernel and OVMF disk, first and second boot"
	@echo "make fuzz       fuzz harnesses (FUZZ_SECONDS=60 each)"
	@echo "make clean      remove out/ and images/ (the source/compiler cache in $(JB_CACHE) stays)"
	@echo "make distclean  also remove $(JB_CACHE)"

image: $(IMAGES)/jumpbox.efi $(IMAGES)/jumpbox.img $(IMAGES)/manifest.json $(IMAGES)/SHA256SUMS

deps:
	@build/deps.sh build

# ---- toolchain: kernel UAPI headers + musl static-PIE specs ----
$(TC)/.stamp: | deps
	@echo "  HEADERS linux UAPI -> $(KHDR)"
	@mkdir -p $(TC)
	@flock $(TC).lock sh -c 'rm -rf $(KHDR) && build/pkg/linux/build.sh headers $(KHDR) && build/toolchain/setup.sh $(TC) $(KHDR)'
	@touch $@

# ---- userland components (cached by their inputs) ----
$(O)/pkg/%/.stamp: $(TC)/.stamp build/component.sh build/prepare.sh build/fetch.sh $$(wildcard build/pkg/$$*/* build/pkg/$$*/patches/*) $$(shell cat build/pkg/$$*/ours 2>/dev/null) \
		$$(foreach d,$$(shell cat build/pkg/$$*/deps 2>/dev/null),$$(wildcard build/pkg/$$d/*))
	@build/component.sh $* $(TC) $(O)/pkg/$*
	@touch $@

$(O)/bin/busybox: $(O)/pkg/busybox/.stamp
	@mkdir -p $(@D) && cp $(O)/pkg/busybox/busybox $@
$(O)/bin/dropbearmulti: $(O)/pkg/dropbear/.stamp
	@mkdir -p $(@D) && cp $(O)/pkg/dropbear/dropbearmulti $@

$(O)/bin/jumpinit: $(INIT_SRCS) $(INIT_HDRS) $(TC)/.stamp
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@JB_PREFIX_MAP=$(CURDIR) $(JBCC) $(CFLAGS_JUMPD) -o $@.full $(INIT_SRCS)
	@strip --strip-all -o $@ $@.full

# jumpd and jumpctl: static-PIE against musl, BearSSL linked in
$(O)/bin/jumpd: $(JUMPD_SRCS) $(JUMPD_HDRS) $(TC)/.stamp $(BEARSSL)/.stamp
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@JB_PREFIX_MAP=$(CURDIR) $(JBCC) $(CFLAGS_JUMPD) -I$(BEARSSL)/include -o $@.full $(JUMPD_SRCS) $(BEARSSL)/lib/libbearssl.a
	@strip --strip-all -o $@ $@.full

$(O)/bin/jumpctl: $(JUMPCTL_SRCS) $(JUMPD_HDRS) $(REC_HDRS) $(TC)/.stamp $(BEARSSL)/.stamp
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@JB_PREFIX_MAP=$(CURDIR) $(JBCC) $(CFLAGS_JUMPD) -I$(BEARSSL)/include -o $@.full $(JUMPCTL_SRCS) $(BEARSSL)/lib/libbearssl.a
	@strip --strip-all -o $@ $@.full

$(O)/bin/jumpmenu: $(JUMPMENU_SRCS) $(JUMPD_HDRS) $(TC)/.stamp
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@JB_PREFIX_MAP=$(CURDIR) $(JBCC) $(CFLAGS_JUMPD) -o $@.full $(JUMPMENU_SRCS)
	@strip --strip-all -o $@ $@.full

$(O)/bin/jumpfw: $(JUMPFW_SRCS) $(JUMPD_HDRS) | deps
	@echo "  CC      $@ (glibc, libnftnl)"
	@mkdir -p $(@D)
	@gcc $(CFLAGS_JUMPD) $(CFLAGS_GLIBC_HARDENED) -Wl,-rpath,/usr/lib/jumpfw -o $@.full $(JUMPFW_SRCS) -lnftnl -lmnl
	@strip --strip-all -o $@ $@.full

$(O)/bin/jumpship: $(JUMPSHIP_SRCS) $(JUMPSHIP_HDRS) $(TC)/.stamp $(BEARSSL)/.stamp
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@JB_PREFIX_MAP=$(CURDIR) $(JBCC) $(CFLAGS_JUMPD) -I$(BEARSSL)/include -o $@.full $(JUMPSHIP_SRCS) $(BEARSSL)/lib/libbearssl.a
	@strip --strip-all -o $@ $@.full

$(O)/bin/jumprec: $(JUMPREC_SRCS) $(JUMPD_HDRS) $(wildcard jumpd/rec/*.h) $(TC)/.stamp $(BEARSSL)/.stamp
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@JB_PREFIX_MAP=$(CURDIR) $(JBCC) $(CFLAGS_JUMPD) -I$(BEARSSL)/include -o $@.full $(JUMPREC_SRCS) $(BEARSSL)/lib/libbearssl.a
	@strip --strip-all -o $@ $@.full

# for an auditor's ordinary Linux host: jumpctl (audit-verify, check-config)
# against the host's glibc and Debian's libbearssl-dev
$(O)/host/jumpctl: $(JUMPCTL_SRCS) $(JUMPSHIP_HDRS) $(REC_HDRS)
	@echo "  CC      $@ (host: glibc, libbearssl-dev)"
	@mkdir -p $(@D)
	@gcc $(HOST_CFLAGS) -o $@ $(JUMPCTL_SRCS) -lbearssl

# test and benchmark tool: writes a spool as jumpd does, with group commit
$(O)/test/spoolgen: jumpd/ship/spoolgen.c jumpd/daemon/spool.c jumpd/common/spoolhead.c jumpd/common/auditrec.c $(JUMPSHIP_HDRS)
	@echo "  CC      $@ (host)"
	@mkdir -p $(@D)
	@gcc $(HOST_CFLAGS) -o $@ jumpd/ship/spoolgen.c jumpd/daemon/spool.c jumpd/common/spoolhead.c jumpd/common/auditrec.c -lbearssl

# test tool: sits between a real sftp/scp client and server, feeds the transfer parsers (tests/transfer.sh)
TRANSFER_TAP_SRCS := jumpd/common/transfer_tap.c jumpd/common/scpparse.c jumpd/common/sftpparse.c jumpd/common/rsyncparse.c \
	jumpd/common/rsyncstream.c jumpd/common/rsyncdata.c jumpd/common/rsyncflist.c
$(O)/test/transfer_tap: $(TRANSFER_TAP_SRCS) $(JUMPD_HDRS)
	@echo "  CC      $@ (host)"
	@mkdir -p $(@D)
	@gcc $(HOST_CFLAGS) -o $@ $(TRANSFER_TAP_SRCS) -lbearssl
# test tool: records a .cast as the box does (recording trail + jumpd's REC_* audit records)
$(O)/test/recgen: jumpd/rec/recgen.c jumpd/rec/recspool.c jumpd/rec/recchain.c jumpd/daemon/event.c jumpd/daemon/spool.c jumpd/common/spoolhead.c \
		jumpd/common/auditrec.c jumpd/common/auditsign.c jumpd/common/readfile.c jumpd/common/durable.c $(JUMPSHIP_HDRS) $(REC_HDRS)
	@echo "  CC      $@ (host)"
	@mkdir -p $(@D)
	@gcc $(HOST_CFLAGS) -o $@ $(filter %.c,$^) -lbearssl

# test tools (tests/host/sandbox.sh): a system call injected into a running
# service (ptrace), and the supervisor's restart path around one service
$(O)/test/sysinject: tests/host/sysinject.c
	@echo "  CC      $@ (host)"
	@mkdir -p $(@D)
	@gcc $(HOST_CFLAGS) -o $@ $<
SVCWATCH_SRCS := tests/host/svcwatch.c jumpd/init/supervise.c jumpd/init/svcreport.c jumpd/init/caps.c jumpd/init/log.c \
	jumpd/common/hookproto.c jumpd/dropbear/jb-authhook.c
$(O)/test/svcwatch: $(SVCWATCH_SRCS) $(INIT_HDRS) $(JUMPD_HDRS)
	@echo "  CC      $@ (host)"
	@mkdir -p $(@D)
	@gcc $(HOST_CFLAGS) -o $@ $(SVCWATCH_SRCS)

$(O)/bin/gen_init_cpio: build/pkg/linux/source | deps
	@mkdir -p $(@D)
	@gcc -O2 -o $@ "$$(build/fetch.sh linux)/usr/gen_init_cpio.c"

# ---- root file system, initramfs, kernel, disk image ----
# the version and the build time stamp are inputs too: rewritten only when they change
$(O)/buildid: FORCE
	@mkdir -p $(@D)
	@echo "$(VERSION) $(SOURCE_DATE_EPOCH) $(JB_CONFIG)" > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
FORCE:

$(O)/initramfs.cpio: $(O)/bin/busybox $(O)/bin/dropbearmulti $(O)/bin/jumpinit $(O)/bin/jumpd $(O)/bin/jumpctl $(O)/bin/jumpfw $(O)/bin/jumpmenu $(O)/bin/jumpship $(O)/bin/jumprec $(O)/bin/gen_init_cpio \
		build/mkrootfs.sh $(ROOTFS_FILES) $(JB_CONFIG) $(O)/buildid
	@echo "  ROOTFS  $(O)/rootfs.squashfs + $@"
	@build/mkrootfs.sh $(O) $(O)/bin "$(VERSION)" $(JB_CONFIG)

$(IMAGES)/jumpbox.efi: $(O)/initramfs.cpio $(LINUX_INPUTS)
	@echo "  KERNEL  $@ (first build compiles the kernel: about 10 min on 2 cores)"
	@mkdir -p $(@D)
	@build/pkg/linux/build.sh image $(O)/initramfs.cpio $@

$(IMAGES)/jumpbox.img: $(IMAGES)/jumpbox.efi build/mkimage.sh
	@echo "  IMAGE   $@"
	@build/mkimage.sh $< $@

$(IMAGES)/manifest.json: build/manifest.sh $(wildcard build/pkg/*/source build/pkg/*/sha256 build/pkg/*/patches/*) $(IMAGES)/jumpbox.efi
	@build/manifest.sh "$(VERSION)" > $@

$(IMAGES)/SHA256SUMS: $(IMAGES)/jumpbox.efi $(IMAGES)/jumpbox.img $(IMAGES)/manifest.json
	@cd $(IMAGES) && sha256sum jumpbox.efi jumpbox.img manifest.json > SHA256SUMS
	@cat $@

# ---- run, test ----
run: image
	@build/deps.sh run
	@tests/demo.sh

unit:
	@tests/unit.sh

# prints a variable's value: tests/unit.sh takes its source lists from here
print-%: FORCE
	@echo $($*)

test: 
	@build/deps.sh test
	@tests/run.sh

repro:
	@tests/repro.sh full

bench: image
	@build/deps.sh test
	@tests/host.sh bench $${BENCH_LOGINS:-30}
	@tests/ship.sh bench
	@tests/bench_boot.sh

fuzz:
	@tests/fuzz.sh $${FUZZ_SECONDS:-60}

clean:
	rm -rf $(O) $(IMAGES)

distclean: clean
	rm -rf $(JB_CACHE)
