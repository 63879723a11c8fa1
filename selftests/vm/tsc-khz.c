// SPDX-License-Identifier: GPL-2.0
/*
 * Prints the host's TSC rate in kHz, measured against CLOCK_MONOTONIC_RAW.
 *
 * Under TCG, the guest's rdtsc reads the host's TSC. The debug kernel has
 * no ACPI, hence no HPET or PM timer to calibrate the TSC against, and its
 * PIT calibration fails on a loaded host: the guest then guesses a rate,
 * its clock runs several times too fast, and timeouts and the soft-lockup
 * watchdog fire early. run-vm.sh passes this figure as tsc_early_khz.
 */
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <x86intrin.h>

static uint64_t ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(void)
{
	const struct timespec wait = { .tv_nsec = 100 * 1000 * 1000 };
	uint64_t best = 0;
	int i;

	/* Three rounds; a descheduled read only makes a round longer, so
	 * the rate is taken from the round whose reads were tightest.
	 */
	for (i = 0; i < 3; i++) {
		uint64_t t0 = ns_now(), c0 = __rdtsc(), t1 = ns_now();
		uint64_t t2, c1, t3, khz;

		nanosleep(&wait, NULL);
		t2 = ns_now();
		c1 = __rdtsc();
		t3 = ns_now();
		khz = (c1 - c0) * 1000000ull / ((t2 + t3) / 2 - (t0 + t1) / 2);
		if (!best || (t1 - t0) + (t3 - t2) < 20000)
			best = khz;
	}
	printf("%llu\n", (unsigned long long)best);
	return 0;
}
