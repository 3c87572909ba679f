"""Backoff arithmetic: exponential ceiling, full jitter, a floor, Retry-After honoured."""

from __future__ import annotations

import random

from caseclient.filing import RetryPolicy


def test_delays_stay_within_the_exponential_ceiling_and_spread_out() -> None:
    policy = RetryPolicy(base=1.0, factor=2.0, cap=60.0, floor=0.0, rng=random.Random(4))
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (7, 60.0), (40, 60.0)]:
        delays = [policy.delay(attempt) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > 0.8 * ceiling and min(delays) < 0.2 * ceiling  # jittered over the range
        assert len(set(delays)) == 200


def test_the_floor_and_retry_after_are_lower_bounds() -> None:
    policy = RetryPolicy(base=1.0, cap=10.0, floor=0.5, rng=random.Random(1))
    assert min(policy.delay(1) for _ in range(500)) >= 0.5
    assert all(policy.delay(1, retry_after=30.0) == 30.0 for _ in range(50))
    assert policy.delay(10, retry_after=0.1) >= 0.5  # a small Retry-After does not shorten the backoff


def test_thousands_of_attempts_do_not_overflow() -> None:
    policy = RetryPolicy(cap=900.0, rng=random.Random(2))
    assert 0.5 <= policy.delay(10_000) <= 900.0
