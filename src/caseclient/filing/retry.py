"""When to try a failed upload again: exponential backoff with full jitter, honouring Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class RetryPolicy:
    """Attempt n (1-based) that failed waits a random time in [0, min(cap, base * factor**(n-1))],
    but never less than `floor`, nor less than what the server asked for (Retry-After)."""

    base: float = 2.0
    factor: float = 2.0
    cap: float = 15 * 60.0
    floor: float = 0.5
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempts: int, retry_after: float | None = None) -> float:
        exponent = min(max(attempts, 1) - 1, 64)  # no float overflow after many attempts
        ceiling = min(self.cap, self.base * self.factor**exponent)
        chosen = max(self.floor, self.rng.uniform(0.0, ceiling))
        if retry_after is not None and retry_after > chosen:
            return float(retry_after)
        return chosen
