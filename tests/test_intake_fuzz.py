"""Mutated sample files: the readers only ever return a candidate or raise one clear InputError.

Set INTAKE_FUZZ_EXAMPLES to run more (or fewer) cases per file kind; the default keeps CI quick.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from caseclient.domain import InputError
from caseclient.intake import IntakeSettings, propose, release

EXAMPLES = int(os.environ.get("INTAKE_FUZZ_EXAMPLES", "700"))
MAX_SAMPLE = 260_000  # larger samples make each case slow without finding more

KINDS = ("msg", "eml", "pdf")

mutation = st.tuples(
    st.sampled_from(["flip", "set", "delete", "insert", "truncate", "zero"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.integers(min_value=1, max_value=512),
    st.binary(min_size=1, max_size=16),
)


def _mutate(data: bytes, steps: list[tuple[str, float, int, bytes]]) -> bytes:
    buffer = bytearray(data)
    for op, where, length, noise in steps:
        at = int(where * max(len(buffer) - 1, 0))
        if op == "flip" and buffer:
            buffer[at] ^= 1 << (length % 8)
        elif op == "set":
            buffer[at:at + len(noise)] = noise
        elif op == "delete":
            del buffer[at:at + length]
        elif op == "insert":
            buffer[at:at] = noise * (length // len(noise) + 1)
        elif op == "truncate":
            del buffer[at:]
        elif op == "zero":
            buffer[at:at + length] = bytes(min(length, len(buffer) - at))
    return bytes(buffer)


def _samples(folder: Path, kind: str) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted((folder / kind).iterdir())
            if 0 < p.stat().st_size <= MAX_SAMPLE]


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_mutated_samples_give_a_candidate_or_a_clear_error(samples: Path, kind: str) -> None:
    sources = _samples(samples, kind)
    seen: dict[str, int] = {"candidate": 0, "error": 0}
    with tempfile.TemporaryDirectory() as work:
        intake = IntakeSettings(scratch_dir=Path(work, "scratch"))

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(source=st.sampled_from(sources), steps=st.lists(mutation, min_size=1, max_size=4),
               rename=st.sampled_from([None, ".pdf", ".msg", ".eml", ".bin"]))
        def check(source: tuple[str, bytes], steps: list, rename: str | None) -> None:
            name, data = source
            path = Path(work, Path(name).stem + (rename or Path(name).suffix))
            path.write_bytes(_mutate(data, steps))
            try:
                candidate = propose(path, settings=intake)
            except InputError as error:
                assert path.name in error.message and error.message.endswith(".")
                seen["error"] += 1
            else:
                assert candidate.metadata.title.strip()
                assert candidate.size == path.stat().st_size
                assert all(path.name in w or "Attachment" in w or "attachment" in w.lower()
                           for w in candidate.warnings), candidate.warnings
                release(candidate)
                seen["candidate"] += 1
            finally:
                path.unlink()

        check()
    assert seen["candidate"] + seen["error"] >= EXAMPLES
