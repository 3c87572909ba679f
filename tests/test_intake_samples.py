"""Every shared sample file: a candidate with the fields written down here, or a clear per-file error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caseclient.domain import Direction, InputError
from caseclient.intake import IntakeSettings, ItemKind, propose, propose_each, release

# file -> expected fields. "attachments": (file name, included, left out because) in order.
EXPECTED: dict[str, dict] = {
    "eml/EmailWithISO_8859_1_From.eml": dict(
        kind=ItemKind.EMAIL, title="Test", date=date(2025, 1, 28), sender="some@example.com", sender_name="Some ßtring",
        message_id=None, attachments=[]),
    "eml/TestWithAttachmentsAndInlines.eml": dict(
        kind=ItemKind.EMAIL, title="Object - subject", date=date(2025, 2, 7), sender="peter.mueller@domain.ch",
        message_id="<GVAP278MB0198D05D58CEAFAF320C57649EF12@GVAP278MB0198.CHEP278.PROD.OUTLOOK.COM>",
        attachments=[("Outlook-facebook.png", False, "inline image"), ("attachment1f.txt", True, None),
                     ("attachment2f.txt", True, None), ("attachment 6", True, None), ("attachment4f.txt", True, None),
                     ("Object2 - subject2.eml", True, None), ("Attached mail 9.eml", True, None)],
        warning="not quite well-formed"),
    "eml/TestWithInlineHavingContentDisposition.eml": dict(
        kind=ItemKind.EMAIL, title="Sujet %%%%%%%%%%%%%%%%%%%%%%%%%%%%%%", date=date(2025, 2, 13),
        sender="peter.mueller@domain.ch",
        message_id="<GVAP278MB0198D05D58CEAFAF320C57649EF12@GVAP278MB0198.CHEP278.PROD.OUTLOOK.COM>",
        attachments=[("Outlook-facebook.png", False, "inline image"), ("attachment.txt", True, None)]),
    "eml/UTF-8_Test.eml": dict(
        kind=ItemKind.EMAIL, title="【要確認】●普通自転車（", date=date(2024, 1, 30), sender="system@example.com",
        message_id="<CACTNHvGekM218d+AXHwkbEA3j=ZgXj6_LExgB_qNx_nykbdF7g@mail.gmail.com>", attachments=[],
        warning="MissingHeaderBodySeparator"),
    "eml/synthetic-danish-aeoeaa.eml": dict(
        kind=ItemKind.EMAIL, title="Kære Åse – møde på fredag (æøå ÆØÅ)", date=date(2023, 11, 14),
        sender="soren@example.dk", sender_name="Søren Ærø", recipients=["ase@example.dk", "bjorn@example.dk"],
        message_id="<179531929692.14665.17888473848043696881@example.dk>",
        attachments=[("mødeplan æøå.csv", True, None)]),
    "msg/EmailWithMsgAttachment.msg": dict(
        kind=ItemKind.EMAIL, title="Msg Attachment Test", date=date(2025, 7, 22), sender="d.triendl@cp-solutions.at",
        message_id="<DU2P193MB2002A84BC32A6456B725A3CBB35CA@DU2P193MB2002.EURP193.PROD.OUTLOOK.COM>",
        attachments=[("Msg Attachment Test.msg", True, None)], attachment_kinds=[ItemKind.EMAIL]),
    "msg/EmailWithSpecialCharsInSubject.msg": dict(
        kind=ItemKind.EMAIL, title="Un sujet bien défini Àéroport mañana être ouïe électricité così próxima à Ô",
        date=date(2024, 3, 27), sender="julie.clarebots@qbere.com",
        message_id="<CY5PR02MB8965DFCBCFAFD12DCFEB7465F6342@CY5PR02MB8965.namprd02.prod.outlook.com>", attachments=[]),
    "msg/HtmlSampleEmail.msg": dict(
        kind=ItemKind.EMAIL, title="HtmlSampleEmail", date=date(2017, 10, 23), sender="chris.wilson@leeds.gov.uk",
        sender_name="Wilson, Chris", message_id="<6BA412B7BBD2FD42861293C22F31BF8F1AEC9B57@pifmbx04.Leeds.gov.uk>",
        attachments=[]),
    "msg/HtmlSampleEmailWithAttachment.msg": dict(
        kind=ItemKind.EMAIL, title="HtmlSampleEmailWithAttachment", date=date(2017, 10, 23),
        sender="chris.wilson@leeds.gov.uk", message_id="<6BA412B7BBD2FD42861293C22F31BF8F1AECAC13@pifmbx04.Leeds.gov.uk>",
        attachments=[("SampleAttachment.pdf", True, None)], attachment_kinds=[ItemKind.PDF]),
    "msg/RtfSampleEmail.msg": dict(
        kind=ItemKind.EMAIL, title="RtfSampleEmail", date=date(2017, 10, 23), sender="chris.wilson@leeds.gov.uk",
        message_id="<6BA412B7BBD2FD42861293C22F31BF8F1AECAB67@pifmbx04.Leeds.gov.uk>", attachments=[]),
    "msg/S_MIME test message encrypted.msg": dict(
        kind=ItemKind.EMAIL, title="S/MIME test message encrypted", date=date(2019, 4, 27),
        sender="benny@bennybottema.com", message_id="<385eaf4a-e5e7-4fb0-b994-8f9edd4bfdce@bennybottema.com>",
        attachments=[], encrypted=True, warning="is encrypted (S/MIME)"),
    "msg/S_MIME test message signed.msg": dict(
        kind=ItemKind.EMAIL, title="S/MIME test message signed", date=date(2019, 4, 27),
        sender="benny@bennybottema.com", message_id="<4bc0da28-05fa-4d3c-40ef-4faa51f5d1c9@bennybottema.com>",
        attachments=[("smime.p7s", False, "signature"), ("03-07-2005 errata SharnErrata.pdf", True, None),
                     ("module_architecture.png", False, "inline image")]),
    "msg/TxtSampleEmail.msg": dict(
        kind=ItemKind.EMAIL, title="TxtSampleEmail", date=date(2017, 10, 23), sender="chris.wilson@leeds.gov.uk",
        message_id="<6BA412B7BBD2FD42861293C22F31BF8F1AECAB77@pifmbx04.Leeds.gov.uk>", attachments=[]),
    "msg/corrupt-truncated-TxtSampleEmail.msg": dict(error="the Outlook file is damaged or incomplete"),
    "msg/msgInMsg.msg": dict(
        kind=ItemKind.EMAIL, title="I have attachments!", sender=None, message_id=None,
        attachments=[("Microsoft Outlook テスト メッセージ.msg", True, None), ("green.png", True, None)],
        attachment_kinds=[ItemKind.EMAIL, ItemKind.FILE]),
    "msg/nested simple mail.msg": dict(
        kind=ItemKind.EMAIL, title="outlookmsg2html Testmail", date=date(2016, 4, 11),
        sender="emanuel.reisinger@cargonet.software",
        message_id="<DBXPR05MB254A4B49A60791EE7F7D3BCF3940@DBXPR05MB254.eurprd05.prod.outlook.com>",
        attachments=[("outlookmsg2html Testmail.msg", True, None)], attachment_kinds=[ItemKind.EMAIL]),
    "msg/newOutlook Microsoft Outlook test.msg": dict(
        kind=ItemKind.EMAIL, title="Microsoft Outlook テスト メッセージ", date=date(2025, 9, 26),
        sender="ku@digitaldolphins.jp", message_id="<202509260143.58Q1hBM7074242@www3707.sakura.ne.jp>",
        item_class="IPM.Note", attachments=[]),
    "msg/strangeDate.msg": dict(
        kind=ItemKind.EMAIL, title="MSG Test File", sender=None, message_id=None,
        recipients=["time2talk@online-convert.com"], attachments=[]),
    "msg/tst_unicode.msg": dict(
        kind=ItemKind.EMAIL, title="Testcase", sender=None, message_id=None, recipients=["doesnotexist@doesnt.com"],
        attachments=[]),
    "pdf/GeoTopo-komprimiert.pdf": dict(kind=ItemKind.PDF, title="Geometrie und Topologie", pages=117,
                                        author="Martin Thoma", date=date(2016, 12, 31)),
    "pdf/Seige_of_Vicksburg_Sample_OCR.pdf": dict(kind=ItemKind.PDF, title="Seige of Vicksburg Sample OCR", pages=6,
                                                   date=date(2010, 8, 2)),
    "pdf/corrupt-empty.pdf": dict(error="is empty"),
    "pdf/corrupt-html-disguised.pdf": dict(kind=ItemKind.FILE, title="corrupt-html-disguised", mime="text/html",
                                           warning="is named like a PDF but holds HTML"),
    "pdf/corrupt-truncated-minimal-document.pdf": dict(error="the PDF is damaged or incomplete"),
    "pdf/crazyones-encrypted-256.pdf": dict(kind=ItemKind.PDF, title="crazyones-encrypted-256", encrypted=True,
                                            pages=None, warning="protected by a password"),
    "pdf/crazyones-pdfa.pdf": dict(kind=ItemKind.PDF, title="crazyones-pdfa", pages=1, date=date(2023, 4, 23)),
    "pdf/encrypted-file.pdf": dict(kind=ItemKind.PDF, title="encrypted-file", encrypted=True, pages=None,
                                   warning="protected by a password"),
    "pdf/google-doc-document.pdf": dict(kind=ItemKind.PDF, title="PDF Example Document", pages=1),
    "pdf/imagemagick-images.pdf": dict(kind=ItemKind.PDF, title="imagemagick-images", pages=6),
    "pdf/libreoffice-writer-password.pdf": dict(kind=ItemKind.PDF, title="libreoffice-writer-password",
                                                encrypted=True, pages=None, warning="protected by a password"),
    "pdf/minimal-document.pdf": dict(kind=ItemKind.PDF, title="minimal-document", pages=1),
    "pdf/pdflatex-4-pages.pdf": dict(kind=ItemKind.PDF, title="pdflatex-4-pages", pages=4),
    "pdf/synthetic-5000-blank-pages.pdf": dict(kind=ItemKind.PDF, title="synthetic 5000 blank pages", pages=5000),
    "pdf/with-attachment.pdf": dict(kind=ItemKind.PDF, title="with-attachment", pages=1),
}


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(scratch_dir=tmp_path / "scratch")


def test_every_sample_has_written_expectations(samples: Path) -> None:
    found = {p.relative_to(samples).as_posix() for p in samples.rglob("*") if p.is_file() and p.name != "SOURCES.txt"}
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample(samples: Path, settings: IntakeSettings, name: str) -> None:
    expected = EXPECTED[name]
    path = samples / name
    if "error" in expected:
        with pytest.raises(InputError) as caught:
            propose(path, settings=settings)
        assert path.name in caught.value.message and expected["error"] in caught.value.message
        return
    candidate = propose(path, settings=settings)
    try:
        metadata = candidate.metadata
        assert candidate.kind is expected["kind"]
        assert metadata.title == expected["title"]
        assert candidate.source == path and candidate.filename == path.name
        assert candidate.size == path.stat().st_size
        assert len(candidate.sha256) == 64
        if "date" in expected:
            assert metadata.document_date == expected["date"]
        if "sender" in expected:
            assert (metadata.sender.email if metadata.sender else None) == expected["sender"]
        if "sender_name" in expected:
            assert metadata.sender.name == expected["sender_name"]
        if "recipients" in expected:
            assert [p.email for p in metadata.recipients] == expected["recipients"]
        if "message_id" in expected:
            assert candidate.message_id == metadata.message_id == expected["message_id"]
        if "pages" in expected:
            assert candidate.page_count == expected["pages"]
        if "author" in expected:
            assert candidate.author == expected["author"]
        if "mime" in expected:
            assert candidate.mime_type == expected["mime"]
        if "item_class" in expected:
            assert candidate.item_class == expected["item_class"]
        assert candidate.encrypted is expected.get("encrypted", False)
        if "attachments" in expected:
            assert [(a.candidate.filename, a.included, a.left_out_because) for a in candidate.attachments] == \
                expected["attachments"]
            for attachment in candidate.attachments:
                assert attachment.candidate.source.read_bytes()  # unpacked, in the scratch folder
                assert attachment.candidate.source.is_relative_to(settings.scratch_dir)
        if "attachment_kinds" in expected:
            assert [a.candidate.kind for a in candidate.attachments] == expected["attachment_kinds"]
        if "warning" in expected:
            assert any(expected["warning"] in w and path.name in w for w in candidate.warnings), candidate.warnings
        else:
            assert candidate.warnings == ()
        assert metadata.direction is Direction.INCOMING  # no own addresses configured
    finally:
        release(candidate)
    if candidate.scratch:
        assert not candidate.scratch.exists()


def test_attachments_inherit_the_mails_date_and_sender(samples: Path, settings: IntakeSettings) -> None:
    candidate = propose(samples / "msg/HtmlSampleEmailWithAttachment.msg", settings=settings)
    pdf = candidate.attachments[0].candidate
    assert pdf.metadata.document_date == candidate.metadata.document_date
    assert pdf.metadata.sender == candidate.metadata.sender
    assert pdf.page_count == 4
    assert pdf.sha256 != candidate.sha256


def test_embedded_mail_keeps_its_own_fields(samples: Path, settings: IntakeSettings) -> None:
    candidate = propose(samples / "msg/EmailWithMsgAttachment.msg", settings=settings)
    inner = candidate.attachments[0].candidate
    assert inner.message_id == "<DU2P193MB2002BFDF69BC4B02DF594370B35CA@DU2P193MB2002.EURP193.PROD.OUTLOOK.COM>"
    assert inner.message_id != candidate.message_id


def test_scratch_folder_is_private(samples: Path, settings: IntakeSettings) -> None:
    candidate = propose(samples / "msg/HtmlSampleEmailWithAttachment.msg", settings=settings)
    assert candidate.scratch is not None
    assert candidate.scratch.stat().st_mode & 0o077 == 0
    assert candidate.attachments[0].candidate.source.stat().st_mode & 0o077 == 0


def test_a_batch_over_all_samples_reports_each_file(samples: Path, settings: IntakeSettings) -> None:
    outcomes = list(propose_each([samples / "msg", samples / "eml", samples / "pdf"], settings=settings))
    assert len(outcomes) == len(EXPECTED)
    errors = {o.path.relative_to(samples).as_posix() for o in outcomes if o.error}
    assert errors == {name for name, e in EXPECTED.items() if "error" in e}
    assert all((o.candidate is None) != (o.error is None) for o in outcomes)
