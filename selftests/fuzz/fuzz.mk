# The fuzzers, long (docs/testing.md "Fuzzers"): 100,000 netlink messages,
# 1,000,000 frames (or FUZZ_SECONDS each, whichever ends first), then
# FUZZ_RACE_SECONDS of everything at once. FUZZ_SEED=N replays a run.
# Included by the Makefile (Debian's kernel) and by debug.mk (make fuzz
# KERNEL=debug). The three run in FUZZ_SHARDS VMs at once, each in its own (run-shards.sh).
FUZZ_NL_COUNT     ?= 100000
FUZZ_PKT_COUNT    ?= 1000000
FUZZ_SECONDS      ?= 7200
FUZZ_RACE_SECONDS ?= 300
FUZZ_VM_TIMEOUT   ?= 21600
FUZZ_SHARDS       ?= 3
fuzz: deps
	$(MAKE) all
	KERNEL=$(KERNEL) SHARDS=$(FUZZ_SHARDS) \
	VM_TIMEOUT=$(FUZZ_VM_TIMEOUT) TEST_TIMEOUT=$(FUZZ_VM_TIMEOUT) \
	TESTS="fuzz/nl_fuzz.sh fuzz/pkt_fuzz.sh fuzz/race.sh" \
	./selftests/vm/run-shards.sh ./selftests/vm/run-vm.sh env \
		FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_NL_COUNT=$(FUZZ_NL_COUNT) \
		FUZZ_PKT_COUNT=$(FUZZ_PKT_COUNT) FUZZ_RACE_SECONDS=$(FUZZ_RACE_SECONDS) \
		$(if $(FUZZ_SEED),FUZZ_SEED=$(FUZZ_SEED)) ./selftests/vm/guest-run-tests.sh
