"""`caseclient inspect PATH...`: the proposed candidate of each file as one JSON line, or its error."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .proposal import propose_each, release
from .report import candidate_as_dict, error_as_dict
from .settings import IntakeSettings


def inspect_paths(paths: Iterable[Path], out: TextIO, *, settings: IntakeSettings | None = None) -> int:
    """Print one JSON object per file (folders walked); 0 when every file was read, else 1.

    Unpacked attachments are removed as soon as their line is printed.
    """
    failed = False
    for outcome in propose_each(paths, settings=settings):
        if outcome.candidate is not None:
            line = candidate_as_dict(outcome.candidate)
            release(outcome.candidate)
        else:
            line = error_as_dict(outcome.path, outcome.error)
            failed = True
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failed else 0
