"""`inspect`: one JSON line per file, CPR masked, exit code 1 when any file failed."""

from __future__ import annotations

import io
import json
from pathlib import Path

from caseclient.intake import IntakeSettings
from caseclient.intake.inspect import inspect_paths


def test_inspect_prints_a_line_per_file(samples: Path, tmp_path: Path) -> None:
    note = tmp_path / "0101901234 notat.txt"
    note.write_text("Borger 010190-1234, sag 27.24.00-G01-1-24", encoding="utf-8")
    out = io.StringIO()
    settings = IntakeSettings(scratch_dir=tmp_path / "scratch")
    code = inspect_paths([samples / "msg" / "HtmlSampleEmailWithAttachment.msg", note,
                          samples / "pdf" / "corrupt-empty.pdf"], out, settings=settings)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 1 and len(lines) == 3
    mail, text, broken = lines
    assert mail["title"] == "HtmlSampleEmailWithAttachment" and mail["date"] == "2017-10-23"
    assert mail["attachments"][0]["file"] == "SampleAttachment.pdf" and mail["attachments"][0]["included"] is True
    assert text["detected_cprs"] == ["010190-xxxx"] and text["detected_case_numbers"] == ["27.24.00-G01-1-24"]
    assert text["file"] == "010190-xxxx notat.txt"
    assert "0101901234" not in out.getvalue() and "010190-1234" not in out.getvalue()
    assert broken == {"file": "corrupt-empty.pdf", "error": "corrupt-empty.pdf is empty (0 bytes).", "code": "input"}
    assert list((tmp_path / "scratch").iterdir()) == []  # unpacked attachments removed after printing


def test_inspect_succeeds_when_every_file_reads(samples: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    code = inspect_paths([samples / "eml"], out, settings=IntakeSettings(scratch_dir=tmp_path))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["file"] for line in lines] == sorted(p.name for p in (samples / "eml").iterdir())
    assert [line for line in lines if "error" in line] == [] and code == 0


def test_inspect_of_every_sample_reports_each_file_and_goes_on_after_errors(samples: Path, tmp_path: Path) -> None:
    folders = sorted(p for p in samples.iterdir() if p.is_dir())
    out = io.StringIO()
    code = inspect_paths(folders, out, settings=IntakeSettings(scratch_dir=tmp_path))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert sorted(line["file"] for line in lines) == sorted(p.name for f in folders for p in f.iterdir())
    errors = [line for line in lines if "error" in line]
    assert code == 1 and errors and len(errors) < len(lines)
    for line in errors:  # the file's name and the problem, in one sentence
        assert set(line) == {"file", "error", "code"} and line["file"] in line["error"] and line["code"] == "input"
    assert list(tmp_path.iterdir()) == []
