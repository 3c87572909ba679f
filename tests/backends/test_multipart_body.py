"""The streamed multipart body: what a real multipart parser (werkzeug's, Flask's) reads back."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from werkzeug.formparser import parse_form_data

from caseclient.backends.multipart import FileField, MultipartBody, TextField
from caseclient.domain import InputError


def _parse(body: MultipartBody):
    raw = b"".join(body)
    assert len(raw) == len(body)
    environ = {
        "REQUEST_METHOD": "PUT", "CONTENT_TYPE": body.content_type, "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
    }
    _, form, files = parse_form_data(environ)
    return form, files


def _file(tmp_path: Path, name: str, content: bytes) -> FileField:
    path = tmp_path / name
    path.write_bytes(content)
    return FileField("fil1", path, name, "application/pdf", len(content))


def test_text_field_and_file_round_trip(tmp_path):
    content = os.urandom(3 * 1024 * 1024 + 17)
    body = MultipartBody([TextField("json", '{"titel": "Bevilling af hjælpemidler"}')],
                         [_file(tmp_path, "Ansøgning å.pdf", content)], block_size=1024 * 1024)
    form, files = _parse(body)
    assert form["json"] == '{"titel": "Bevilling af hjælpemidler"}'
    assert files["fil1"].filename == "Ansøgning å.pdf"
    assert files["fil1"].mimetype == "application/pdf"
    assert files["fil1"].read() == content


def test_empty_file(tmp_path):
    form, files = _parse(MultipartBody([TextField("json", "{}")], [_file(tmp_path, "tom.txt", b"")]))
    assert files["fil1"].read() == b""


def test_quotes_and_line_breaks_in_a_file_name_cannot_break_the_header(tmp_path):
    field = _file(tmp_path, "a.pdf", b"x")
    field = FileField("fil1", field.path, 'svar "endelig"\r\nX-Evil: 1.pdf', "application/pdf", 1)
    form, files = _parse(MultipartBody([TextField("json", "{}")], [field]))
    assert files["fil1"].read() == b"x"
    assert "\n" not in files["fil1"].filename


def test_progress_counts_file_bytes_as_they_go_out(tmp_path):
    seen: list[tuple[int, int]] = []
    body = MultipartBody([TextField("json", "{}")], [_file(tmp_path, "a.bin", b"y" * 2500)],
                         progress=lambda sent, total: seen.append((sent, total)), block_size=1000)
    for _ in body:
        pass
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]


def test_iterating_again_starts_over(tmp_path):
    body = MultipartBody([TextField("json", "{}")], [_file(tmp_path, "a.bin", b"z" * 5000)], block_size=1024)
    assert b"".join(body) == b"".join(body)


def test_a_file_that_shrinks_while_sent_is_a_clear_error(tmp_path):
    field = _file(tmp_path, "scan.pdf", b"x" * 100)
    field.path.write_bytes(b"x" * 10)
    with pytest.raises(InputError, match=r"scan.pdf changed while it was being sent \(it shrank\)"):
        b"".join(MultipartBody([], [field]))


def test_a_file_that_grows_while_sent_is_a_clear_error(tmp_path):
    field = _file(tmp_path, "scan.pdf", b"x" * 100)
    field.path.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match=r"scan.pdf changed while it was being sent \(it grew\)"):
        b"".join(MultipartBody([], [field]))


def test_a_vanished_file_is_a_clear_error(tmp_path):
    field = _file(tmp_path, "brev.pdf", b"x")
    field.path.unlink()
    with pytest.raises(InputError, match="Cannot read brev.pdf: No such file or directory"):
        b"".join(MultipartBody([], [field]))
