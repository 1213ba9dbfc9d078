# xen-pvh: our Xen PVH guest for Linux, as a patch series for mainline (7.3, the default
# BASE) and its 6.12 LTS backport (BASE=6.12), plus the lab that boots it under Xen in
# QEMU.  `make` builds and boots it, `make check` runs every test.  See README.md.

SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/xen-pvh
BASE ?= 7.3
# Each base builds in a directory of its own below BUILDROOT.
BUILDROOT ?= $(CURDIR)/build
BUILD := $(BUILDROOT)/$(BASE)
PVH ?= y
FULL ?= 0
export CACHE BASE BUILD FULL

OURS := $(BUILD)/linux/obj/arch/x86/boot/bzImage
# The minimal PVH guest that is not Linux (lab/minipvh), the same for every base.
MINIPVH := $(BUILDROOT)/minipvh/minipvh
OURS_N := $(BUILD)/linux/obj-n/arch/x86/boot/bzImage
PLAN ?= lab/plans/pvh.plan
LAB_OUT ?= $(BUILD)/lab

.PHONY: all base series series-check kernel lab apply check check-full clean distclean

# The default run: the series, our kernel, and a lab boot of it as a PVH guest
# next to the stock kernel, that shows what the guests reported.
# run.sh ends its progress output with the table; the TAP goes to a file.
all: kernel
	$(LAB_PVH) >$(BUILD)/lab.tap

base:
	scripts/base.sh

series:
	scripts/series.sh

series-check: series
	scripts/series-check.sh

kernel: series
	scripts/build-kernel.sh --pvh $(PVH) $(BUILD)/linux/src $(BUILD)/linux/obj configs/domU.config

lab: kernel
	lab/run.sh -o $(LAB_OUT)/$(notdir $(basename $(PLAN))) -k ours=$(OURS) $(PLAN)

apply:
	scripts/apply.sh "$(KERNEL)"

# Every test, fastest first; ends with "N passed, N failed, N skipped".
# QEMU boots our vmlinux directly (PVH entry, no Xen), also moved 32 MiB up
# and, refused with a message, 1 MiB up; the lab runs: our
# kernel as PVH domU, the foundation plan (stock dom0, stock xl; needs
# series-check's PVH=n kernel), the patched xl, and our kernel as PV dom0.
QEMU_DIRECT := lab/qemu-direct.sh $(BUILD)/linux/obj/vmlinux $(LAB_OUT)/qemu-direct.log
LAB_PVH := lab/run.sh -o $(LAB_OUT)/pvh -k ours=$(OURS) lab/plans/pvh.plan
LAB_FOUNDATION := lab/run.sh -o $(LAB_OUT)/foundation -k ours=$(OURS) -k oursn=$(OURS_N) \
	lab/plans/foundation.plan
LAB_XL := lab/run-xl.sh -o $(LAB_OUT)/xl-pvh -k ours=$(OURS) lab/plans/xl-pvh.plan
# The Xen selftests (tools/testing/selftests/xen) in stock and ours, PVH and PV.
LAB_KST := lab/run.sh -o $(LAB_OUT)/selftests -k ours=$(OURS) lab/plans/selftests.plan
# lab/plans/dom0.plan's guests from three dom0s: our kernel as PV dom0 and as PVH dom0, and
# Debian's 6.12 as PVH dom0 for comparison (issue 10); Xen refuses dom0=pvh without an IOMMU.
LAB_DOM0 := lab/run.sh -o $(LAB_OUT)/dom0-pv --dom0-kernel $(OURS) --expect-dom0 PV \
	-k ours=$(OURS) lab/plans/dom0.plan
LAB_DOM0_PVH := lab/run.sh -o $(LAB_OUT)/dom0-pvh --dom0 pvh --dom0-kernel $(OURS) \
	--expect-dom0 PVH -k ours=$(OURS) lab/plans/dom0.plan
LAB_DOM0_PVH_STOCK := lab/run.sh -o $(LAB_OUT)/dom0-pvh-stock --dom0 pvh --dom0-kernel stock \
	--expect-dom0 PVH -k ours=$(OURS) lab/plans/dom0.plan
LAB_NO_IOMMU := lab/xen-refuses-pvh-dom0.sh $(OURS) $(LAB_OUT)/xen-no-iommu.log
# Our kernel's vCPUs as a PVH guest (issue 9): started through VCPUOP with and without ACPI,
# the native INIT/SIPI option, and 5 rounds of vCPU hotplug under load; FULL=1 adds 50 rounds
# on both start paths (smp-full.plan).
LAB_SMP := lab/run.sh -o $(LAB_OUT)/smp -k ours=$(OURS) lab/plans/smp.plan
LAB_SMP_FULL := lab/run.sh -o $(LAB_OUT)/smp-full -k ours=$(OURS) lab/plans/smp-full.plan
# A PVH guest's lifecycle (issue 11), ours and stock: xl save/restore under I/O with two disks
# and two NICs, xl reboot/shutdown/destroy, poweroff, reboot and a preserved sysrq crash from
# inside, ballooning a populate-on-demand guest; FULL=1 adds 10 save/restore rounds in a row.
LAB_LIFECYCLE := lab/run.sh -o $(LAB_OUT)/lifecycle -k ours=$(OURS) lab/plans/lifecycle.plan
LAB_LIFECYCLE_FULL := lab/run.sh -o $(LAB_OUT)/lifecycle-full -k ours=$(OURS) \
	lab/plans/lifecycle-full.plan
# The regression matrix (issue 13): our kernel built with CONFIG_XEN_PVH=n as PV dom0, refused
# as PVH dom0 by Xen and for a direct boot by QEMU; then scripts/matrix.sh prints the matrix
# from these runs and the ones above. FULL=1 adds our kernel (=y and =n) as an HVM domU with
# a device model, the series built with real configurations on each base (MATRIX_CONFIGS:
# defconfig + xen.config and the base's Debian config, as PV, PVH and HVM domUs, as PV and
# PVH dom0 and under QEMU; the backport's defconfig + xen.config through `make BASE=6.12
# CONFIGS=defxen matrix-configs`), what =y adds to the kernel's size (defconfig + xen.config
# with =n, bench/size.sh, appended to bench/RESULTS.md), and records the matrix in
# bench/MATRIX.md.
LAB_DOM0_N := lab/run.sh -o $(LAB_OUT)/dom0-pv-n --dom0-kernel $(OURS_N) --expect-dom0 PV \
	-k ours=$(OURS) lab/plans/matrix-dom0.plan
XEN_REFUSES_N := lab/xen-refuses-pvh-dom0.sh --iommu \
	--expect "Unable to find XEN_ELFNOTE_PHYS32_ENTRY address" \
	$(OURS_N) $(LAB_OUT)/xen-refuses-pvh-dom0-n.log
QEMU_DIRECT_N := lab/qemu-direct.sh --must-stop \
	--expect "Error loading uncompressed kernel without PVH ELF Note" \
	$(BUILD)/linux/obj-n/vmlinux $(LAB_OUT)/qemu-direct-n.log
LAB_HVM := lab/run.sh -o $(LAB_OUT)/matrix-hvm -g 400 -k ours=$(OURS) -k oursn=$(OURS_N) \
	lab/plans/matrix-hvm.plan
# MATRIX_CONFIG(NAME): build the series with real configuration NAME (scripts/build-configs.sh)
# and boot it as a PV, PVH and HVM domU, as PV and PVH dom0 (defxen with the backends its
# modules hold, debian with them built in: configs/debian-lab.config) and under QEMU.
MODDIR_defxen := --dom0-moddir $(BUILD)/linux/obj-defxen/modules
LAB_DOM0_CONFIG = lab/run.sh -o $(LAB_OUT)/matrix-dom0-$(1)-$(2) --dom0 $(2) \
	--dom0-kernel $(BUILD)/linux/obj-$(1)/arch/x86/boot/bzImage $(MODDIR_$(1)) \
	--expect-dom0 $(if $(filter pvh,$(2)),PVH,PV) -k ours=$(OURS) lab/plans/matrix-dom0.plan
MATRIX_CONFIG = 'scripts/build-configs.sh $(1)' \
	'lab/run.sh -o $(LAB_OUT)/matrix-config-$(1) -g 400 \
		-k config=$(BUILD)/linux/obj-$(1)/arch/x86/boot/bzImage lab/plans/matrix-config.plan' \
	'$(call LAB_DOM0_CONFIG,$(1),pv)' '$(call LAB_DOM0_CONFIG,$(1),pvh)' \
	'lab/qemu-direct.sh $(BUILD)/linux/obj-$(1)/vmlinux $(LAB_OUT)/qemu-direct-$(1).log'
# Both on the primary base; the backport's check-full builds defconfig + xen.config only (its
# Debian config is Debian's own 6.12 kernel, the stock guest of every plan).
CONFIGS := defxen debian
MATRIX_CONFIGS := $(foreach c,$(CONFIGS),$(call MATRIX_CONFIG,$(c)))
# The lab boots Xen 4.20 (XEN, scripts/lib.sh); Xen 4.17 under the host's QEMU 7.2 keeps a
# column of its own: our kernel as PVH domU, the patched xl (4.20's needs a Xen source this
# machine's mirror does not serve: lab/run-xl.sh), and our kernel as PVH dom0.  The xl
# patch's checks (tests/xen-patch.sh) run on 4.17's source, which Debian serves.
# ON_417(RUN): lab run RUN on Xen 4.17, its output below $(LAB_OUT)/xen-4.17.
X417 := XEN=4.17
ON_417 = '$(X417) $(subst -o $(LAB_OUT)/,-o $(LAB_OUT)/xen-4.17/,$(1))'
ifeq ($(XEN),4.17)
XEN417_CHECKS :=
else
XEN417_CHECKS := $(call ON_417,$(LAB_PVH)) $(call ON_417,$(LAB_XL)) $(call ON_417,$(LAB_DOM0_PVH))
endif
# The 6.12 LTS backport, when BASE is mainline: its series review (series-check: git am,
# checkpatch, =y and =n, C=2 W=1), its ELF notes and direct boot, and the lab plans whose
# code differs between the bases (the entry's GS base and cpuid header, the vCPU wakeup
# hook, the strip): pvh, smp and our kernel as PVH dom0, each next to Debian's 6.12.
BACKPORT := 6.12
BP_BUILD := $(BUILDROOT)/$(BACKPORT)
BP_OURS := $(BP_BUILD)/linux/obj/arch/x86/boot/bzImage
BP := BASE=$(BACKPORT) BUILD=$(BP_BUILD)
ifeq ($(BASE),$(BACKPORT))
BACKPORT_CHECKS :=
else
BACKPORT_CHECKS := '$(BP) scripts/series-check.sh' '$(BP) tests/elfnotes.sh' \
	'$(BP) lab/qemu-direct.sh $(BP_BUILD)/linux/obj/vmlinux $(BP_BUILD)/lab/qemu-direct.log' \
	'$(BP) lab/run.sh -o $(BP_BUILD)/lab/pvh -k ours=$(BP_OURS) lab/plans/pvh.plan' \
	'$(BP) lab/run.sh -o $(BP_BUILD)/lab/smp -k ours=$(BP_OURS) lab/plans/smp.plan' \
	'$(BP) lab/run.sh -o $(BP_BUILD)/lab/dom0-pvh --dom0 pvh --dom0-kernel $(BP_OURS) \
		--expect-dom0 PVH -k ours=$(BP_OURS) lab/plans/dom0.plan'
endif
# The matrix's rows of each base, and make check-full's share of it.
MATRIX := scripts/matrix.sh --base $(BASE)=$(LAB_OUT) \
	$(if $(BACKPORT_CHECKS),--base $(BACKPORT)=$(BP_BUILD)/lab)
MATRIX_FULL := '$(LAB_HVM)' $(MATRIX_CONFIGS) 'scripts/build-configs.sh defxen-n' bench/size.sh \
	$(if $(BACKPORT_CHECKS),'$(MAKE) --no-print-directory BASE=$(BACKPORT) CONFIGS=defxen \
		matrix-configs') \
	'$(MATRIX) --full --record'
# tests/elfnotes.sh reads the vmlinux of `make kernel` and series-check's PVH=n one.
# tests/docs.sh holds Documentation/xen/pvh.rst to the code (options, messages).
CHECKS := tests/tooling.sh tests/lab-selftest.sh '$(X417) tests/xen-patch.sh' tests/config-check.sh \
	tests/docs.sh scripts/series-check.sh tests/elfnotes.sh '$(QEMU_DIRECT)' tests/pvh-relocation.sh \
	'$(LAB_PVH)' '$(LAB_FOUNDATION)' '$(LAB_XL)' '$(LAB_DOM0)' '$(LAB_DOM0_PVH)' \
	'$(LAB_DOM0_PVH_STOCK)' '$(LAB_NO_IOMMU)' '$(LAB_KST)' '$(LAB_SMP)' '$(LAB_LIFECYCLE)' \
	'$(LAB_DOM0_N)' '$(XEN_REFUSES_N)' '$(QEMU_DIRECT_N)' $(XEN417_CHECKS) $(BACKPORT_CHECKS)
ifeq ($(FULL),1)
CHECKS += '$(LAB_SMP_FULL)' '$(LAB_LIFECYCLE_FULL)' $(MATRIX_FULL)
else
CHECKS += '$(MATRIX)'
endif

# The backport's kernel is built first too, so that a build error stops before any test.
check: kernel
	$(if $(BACKPORT_CHECKS),$(MAKE) --no-print-directory BASE=$(BACKPORT) kernel)
	scripts/check.sh $(CHECKS)

check-full:
	$(MAKE) check FULL=1

# The matrix's real configurations alone, after make check: build, boot, record bench/MATRIX.md;
# matrix-configs: this base's real configurations only (CONFIGS=... to choose).
.PHONY: matrix matrix-configs
matrix: kernel
	scripts/check.sh $(MATRIX_FULL)

matrix-configs: kernel
	scripts/check.sh $(MATRIX_CONFIGS)

.PHONY: minipvh soak
minipvh:
	$(MAKE) -C lab/minipvh O=$(dir $(MINIPVH))

# The guest deaths under Xen's defaults (issue 26), not a test: SOAK_ROUNDS rounds of minipvh,
# ours and stock, each in the four arms of tsc_mode and pinning, on each Xen of SOAK_XEN and
# QEMU of SOAK_QEMU; the table goes to $(LAB_OUT)/deaths/summary.md.  How we will know when
# a QEMU or Xen release ends them.
SOAK_ROUNDS ?= 8
SOAK_XEN ?= 4.20
# SOAK_QEMU: the Xen's own QEMU (4.20's: QEMU 10 with lab/qemu's fixes) beside the same QEMU
# as Debian ships it (lab/build-qemu.sh's stock build).
SOAK_QEMU ?= xen,$$(lab/build-qemu.sh)/qemu-stock
# lab/deaths.sh builds minipvh itself.
soak: kernel
	lab/deaths.sh -n $(SOAK_ROUNDS) -x $(SOAK_XEN) -q "$(SOAK_QEMU)" -o $(LAB_OUT)/deaths

clean:
	rm -rf $(BUILD) $(dir $(MINIPVH))

distclean: clean
	rm -rf $(CACHE)

# First upstream's own PVH code built with our config (scripts/build-upstream.sh). Boot time
# of our kernel as PVH against itself as PV, upstream's and the stock one as PVH, 1 and 4
# vCPUs, in one lab run; appends to bench/RESULTS.md and fails if ours' PVH median is more
# than 1.0x ours' PV, 0.5x upstream's or 0.5x stock's PVH. Then where the boot time goes
# (printk times and initcall_debug of the three), a table of steps. Then the time
# the secondary CPUs take to come up (VCPUOP, native INIT/SIPI, upstream, stock), in a
# second run; then ours against stock as PVH dom0 (dom0 ready, domU create), three rounds;
# then xl save and xl restore of each of stock, upstream and ours as PVH domU, five rounds,
# failing if ours is slower than stock.
.PHONY: bench
bench: kernel
	scripts/build-upstream.sh >/dev/null
	bench/boot-time.sh
	bench/boot-steps.sh
	bench/ap-bringup.sh
	bench/dom0.sh
	bench/saverestore.sh
