// SPDX-License-Identifier: GPL-2.0
/*
 * The spans `swaplab dsm serve` times its answers in (userspace/lib/span.c),
 * on the host: a sample a closed span, none for one dropped or never
 * opened, the clock kept across a reopen and a move, keys out of range
 * ignored, and the median and 90th percentile of known durations.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <time.h>

#include "kselftest_harness.h"
#include "lib/span.h"

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, us % 1000000 * 1000 };

	nanosleep(&ts, NULL);
}

TEST(open_close_drop)
{
	struct span sp;
	uint32_t p50, p90;

	ASSERT_EQ(0, span_init(&sp, 4));
	EXPECT_FALSE(span_quantiles(&sp, &p50, &p90));
	/* Closed without an open, dropped, out of range: no sample. */
	span_close(&sp, 1);
	span_open(&sp, 2);
	span_drop(&sp, 2);
	span_close(&sp, 2);
	span_open(&sp, 4);
	span_close(&sp, 4);
	span_open(&sp, (size_t)-1);
	span_close(&sp, (size_t)-1);
	EXPECT_EQ(0, sp.n);
	EXPECT_FALSE(span_quantiles(&sp, &p50, &p90));
	/* A second open keeps the first one's clock. */
	span_open(&sp, 0);
	sleep_us(20000);
	span_open(&sp, 0);
	span_close(&sp, 0);
	span_close(&sp, 0);
	EXPECT_EQ(1, sp.n);
	ASSERT_TRUE(span_quantiles(&sp, &p50, &p90));
	EXPECT_GE(p50, 20000);
	span_free(&sp);
}

TEST(move_keeps_the_clock)
{
	struct span a, b;
	uint32_t p50, p90;

	ASSERT_EQ(0, span_init(&a, 2));
	ASSERT_EQ(0, span_init(&b, 2));
	span_open(&a, 1);
	sleep_us(10000);
	span_move(&a, &b, 1);
	span_close(&a, 1);
	span_close(&b, 1);
	EXPECT_EQ(0, a.n);
	EXPECT_EQ(1, b.n);
	ASSERT_TRUE(span_quantiles(&b, &p50, &p90));
	EXPECT_GE(p50, 10000);
	span_free(&a);
	span_free(&b);
}

/* Ten spans of 1 to 10 ms: the median is the fifth, the 90th the ninth. */
TEST(quantiles)
{
	struct span sp;
	uint32_t p50, p90;

	ASSERT_EQ(0, span_init(&sp, 10));
	for (int k = 9; k >= 0; k--) {
		span_open(&sp, k);
		sleep_us(1000);
	}
	/* Key k was opened (10 - k) ms before the closes. */
	for (int k = 0; k < 10; k++)
		span_close(&sp, k);
	EXPECT_EQ(10, sp.n);
	EXPECT_EQ(10, sp.kept);
	ASSERT_TRUE(span_quantiles(&sp, &p50, &p90));
	for (size_t i = 1; i < sp.kept; i++)
		EXPECT_LE(sp.us[i - 1], sp.us[i]);
	EXPECT_EQ(sp.us[4], p50);
	EXPECT_EQ(sp.us[8], p90);
	EXPECT_GE(p50, 5000);
	EXPECT_GE(p90, 9000);
	EXPECT_LT(p50, p90);
	span_free(&sp);
}

TEST_HARNESS_MAIN
