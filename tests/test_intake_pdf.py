"""PDFs the tests make: repaired reads with a warning (alone and inside a mail), cut-short files refused,
embedded files offered, titles that are no titles left out."""

from __future__ import annotations

import io
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject

from caseclient.domain import InputError
from caseclient.intake import IntakeSettings, ItemKind, propose, release


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(scratch_dir=tmp_path / "scratch")


def pdf_bytes(*, pages: int = 1, title: str | None = None, attachments: dict[str, bytes] | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if title is not None:
        writer.add_metadata({"/Title": title})
    for name, data in (attachments or {}).items():
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def in_a_mail(tmp_path: Path, name: str, data: bytes) -> Path:
    message = EmailMessage()
    message["From"] = "a@example.dk"
    message["To"] = "b@example.dk"
    message["Subject"] = "Bilag"
    message["Date"] = "Tue, 14 Nov 2023 10:00:00 +0100"
    message.set_content("Se bilag.")
    message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return write(tmp_path / "mail.eml", message.as_bytes())


def test_junk_after_the_end_is_read_with_a_warning_alone_and_in_a_mail(tmp_path: Path,
                                                                        settings: IntakeSettings) -> None:
    padded = pdf_bytes(title="Afgørelse") + b"\x00garbage \xc3\xa9" * 2000
    alone = propose(write(tmp_path / "padded.pdf", padded), settings=settings)
    assert alone.kind is ItemKind.PDF and alone.page_count == 1 and alone.metadata.title == "Afgørelse"
    assert [w for w in alone.warnings if "padded.pdf is damaged" in w and "repairing" in w]

    mail = propose(in_a_mail(tmp_path, "padded.pdf", padded), settings=settings)
    try:
        attached = mail.attachments[0].candidate
        assert attached.kind is ItemKind.PDF and attached.page_count == 1 and attached.metadata.title == "Afgørelse"
        assert attached.warnings == alone.warnings
        assert mail.attachments[0].included
    finally:
        release(mail)


def test_a_broken_cross_reference_table_is_repaired_with_a_warning(tmp_path: Path, settings: IntakeSettings) -> None:
    good = pdf_bytes(pages=2)
    offset = int(re.findall(rb"startxref\s+(\d+)", good)[-1])
    broken = re.sub(rb"startxref\s+\d+", b"startxref\n%d" % (offset + 19), good)
    candidate = propose(write(tmp_path / "shifted.pdf", broken), settings=settings)
    assert candidate.page_count == 2
    assert any("cross-reference table is broken" in w and "shifted.pdf" in w for w in candidate.warnings)
    assert propose(write(tmp_path / "good.pdf", good), settings=settings).warnings == ()


def test_a_pdf_cut_short_is_refused_even_after_an_earlier_revision_end(tmp_path: Path,
                                                                       settings: IntakeSettings) -> None:
    first = pdf_bytes()
    # an incremental update (a later revision) that the copy lost the end of
    updated = first + b"\n5 0 obj\n<< /Type /Annot >>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrai"
    with pytest.raises(InputError) as caught:
        propose(write(tmp_path / "cut.pdf", updated), settings=settings)
    assert "cut.pdf" in caught.value.message and "damaged or incomplete" in caught.value.message
    with pytest.raises(InputError):
        propose(write(tmp_path / "half.pdf", first[: len(first) // 2]), settings=settings)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(min_size=2100, max_size=4000).filter(
    lambda b: not re.search(rb"\d+\s+\d+\s+obj|endobj|xref|trailer|startxref|%%EOF", b)))
def test_any_padding_after_the_end_keeps_the_document(tmp_path: Path, settings: IntakeSettings, junk: bytes) -> None:
    candidate = propose(write(tmp_path / "padding.pdf", pdf_bytes(pages=3) + junk), settings=settings)
    assert candidate.page_count == 3 and len(candidate.warnings) == 1


def test_embedded_files_are_offered_as_attachments(tmp_path: Path, settings: IntakeSettings) -> None:
    inner = pdf_bytes(pages=2, title="Bilag 1")
    outer = pdf_bytes(attachments={"bilag.pdf": inner, "noter.txt": b"Noter til sagen"})
    candidate = propose(write(tmp_path / "outer.pdf", outer), settings=settings)
    try:
        names = {a.candidate.filename: a for a in candidate.attachments}
        assert set(names) == {"bilag.pdf", "noter.txt"}
        assert names["bilag.pdf"].candidate.kind is ItemKind.PDF and names["bilag.pdf"].candidate.page_count == 2
        assert names["noter.txt"].candidate.source.read_bytes() == b"Noter til sagen"
        assert all(a.included for a in candidate.attachments)
    finally:
        release(candidate)


@pytest.mark.parametrize("on_page", [0, 4])  # a page read for text, and one after those (pdf_text_pages=3)
def test_a_file_attachment_annotation_is_offered(tmp_path: Path, settings: IntakeSettings, on_page: int) -> None:
    # pypdf has no FileAttachment helper: the annotation is built by hand, its stream under /F, its name under /UF
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject

    writer = PdfWriter()
    for _ in range(6):
        writer.add_blank_page(width=200, height=200)
    page = writer.pages[on_page]
    stream = DecodedStreamObject()
    stream.set_data(b"Annotated content")
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    spec = DictionaryObject({NameObject("/Type"): NameObject("/Filespec"),
                             NameObject("/UF"): TextStringObject("kvittering.txt"),
                             NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)})})
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FileAttachment"),
        NameObject("/Rect"): ArrayObject([FloatObject(10), FloatObject(10), FloatObject(30), FloatObject(30)]),
        NameObject("/FS"): writer._add_object(spec)})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    out = io.BytesIO()
    writer.write(out)
    candidate = propose(write(tmp_path / "annotated.pdf", out.getvalue()), settings=settings)
    try:
        assert candidate.page_count == 6
        assert [a.candidate.filename for a in candidate.attachments] == ["kvittering.txt"]
        assert candidate.attachments[0].candidate.source.read_bytes() == b"Annotated content"
        assert candidate.warnings == ()
    finally:
        release(candidate)


@pytest.mark.parametrize("title", ["a", "  x ", "-", "Untitled", "Microsoft Word - brev.docx", "scan_0001"])
def test_titles_nobody_chose_give_way_to_the_file_name(tmp_path: Path, settings: IntakeSettings, title: str) -> None:
    candidate = propose(write(tmp_path / "Brev til borger.pdf", pdf_bytes(title=title)), settings=settings)
    assert candidate.metadata.title == "Brev til borger"


def test_a_short_real_title_is_kept(tmp_path: Path, settings: IntakeSettings) -> None:
    candidate = propose(write(tmp_path / "x.pdf", pdf_bytes(title="CV")), settings=settings)
    assert candidate.metadata.title == "CV"
