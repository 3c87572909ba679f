"""Every shared sample file: a candidate with the fields written down here, or a clear per-file error."""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePath

import pytest

from caseclient.domain import Direction, InputError
from caseclient.intake import IntakeSettings, ItemKind, propose, propose_each, release

# file -> expected fields. "attachments": (file name, included, left out because) in order; "description":
# what it must hold (an appointment's start, end and place in local time, a contact's company, mail, phone).
# Dates are calendar dates in Europe/Copenhagen.
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
    "eml/bug52400-winmail-simple.dat": dict(
        kind=ItemKind.EMAIL, title="Testing TNEF Message", date=date(2013, 10, 31), sender="gaggletest2@anderson5.net",
        sender_name="Gaggletest2", recipients=["gaggletest2@anderson5.net"],
        message_id="<956095252f894c42811120b3498372d3@DM2PR05MB349.namprd05.prod.outlook.com>", attachments=[]),
    "eml/derived-winmail-dat-attachment.eml": dict(
        kind=ItemKind.EMAIL, title="TNEF test message with attachments", date=date(2013, 11, 1),
        sender="gaggletest2@anderson5.net", sender_name="Gaggletest2", recipients=["gaggletest2@anderson5.net"],
        message_id="<80b66fc2a2954d1b880b9d2b92ee19f5@DM2PR05MB349.namprd05.prod.outlook.com>",
        attachments=[("scion_tc_2007_maintenanceguide.pdf", True, None), ("Duke_Wave.png", True, None)],
        attachment_kinds=[ItemKind.PDF, ItemKind.FILE]),
    "eml/quick-winmail.dat": dict(
        kind=ItemKind.EMAIL, title="This is a test message", sender=None, message_id=None,
        attachments=[("quick.doc", True, None), ("quick.html", True, None), ("quick.pdf", True, None),
                     ("quick.txt", True, None), ("quick.xml", True, None)],
        attachment_kinds=[ItemKind.FILE, ItemKind.FILE, ItemKind.PDF, ItemKind.FILE, ItemKind.FILE]),
    "eml/synthetic-danish-aeoeaa.eml": dict(
        kind=ItemKind.EMAIL, title="Kære Åse – møde på fredag (æøå ÆØÅ)", date=date(2023, 11, 14),
        sender="soren@example.dk", sender_name="Søren Ærø", recipients=["ase@example.dk", "bjorn@example.dk"],
        message_id="<179531929692.14665.17888473848043696881@example.dk>",
        attachments=[("mødeplan æøå.csv", True, None)]),
    "eml/triples.tnef": dict(
        kind=ItemKind.APPOINTMENT, title="Sample Summary", date=date(2003, 5, 23), sender="rakhmanoff@sundance.spb.ru",
        sender_name="Martin Rakhmanoff", message_id=None, description=["2003-05-23 16:00", "17:00", "Sample Location"],
        attachments=[]),
    "eml/umlaut.tnef": dict(
        kind=ItemKind.EMAIL, title="UmlautAnhang TEST äöü +-*/~", sender=None, message_id=None,
        attachments=[("TBZ PARIV GmbH.jpg", True, None), ("image003.jpg", False, "inline image"),
                     ("UmlautAnhang-äüö.txt", True, None)]),
    "image/Canon_40D.jpg": dict(kind=ItemKind.FILE, title="Canon 40D", date=date(2008, 5, 30), mime="image/jpeg"),
    "image/WWL_(Polaroid)_ION230.jpg": dict(  # the camera says 2026-11-24, after the file was saved (2008-07-31)
        kind=ItemKind.FILE, title="WWL (Polaroid) ION230", date=date(2008, 7, 31), mime="image/jpeg", warning="date"),
    "image/empty_gps_ifd.jpg": dict(kind=ItemKind.FILE, title="empty gps ifd", date=date(2020, 7, 27),
                                    mime="image/jpeg"),
    "image/testJPEG_GEO.jpg": dict(kind=ItemKind.FILE, title="testJPEG GEO", date=date(2009, 8, 11), mime="image/jpeg"),
    "image/ultrahdr.jpg": dict(kind=ItemKind.FILE, title="ultrahdr", date=date(2024, 5, 7), mime="image/jpeg"),
    "msg/ASCII_CP1251_LCID1049.msg": dict(
        kind=ItemKind.EMAIL, title="Subject автоматически Subject", sender=None, message_id=None, recipients=[],
        attachments=[]),
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
    "msg/Meeting with Recurring Occurrences.msg": dict(  # the organizer is an Exchange sender: a name, no address
        kind=ItemKind.APPOINTMENT, item_class="IPM.Schedule.Meeting.Request",
        title="Meeting with Recurring Occurrences", date=date(2017, 1, 19), sender=None, sender_name="Kashif Iqbal",
        recipients=["asposeemail.test3@aspose.com"],
        message_id="<C770750207A6A34CA5B9B3E50046A9B7373147E6@exchange.aspose.com>",
        description=["2017-01-19 18:30", "19:00", "10 Down Street, NY, USA"], attachments=[]),
    "msg/MsgViewer-issue110-test.msg": dict(
        kind=ItemKind.EMAIL, title="test", date=date(2022, 6, 27), sender="guilingjun@outlook.com",
        recipients=["guilingjun@outlook.com"],
        message_id="<SYYP282MB2160CC64A53BE839E7649B1EDAB99@SYYP282MB2160.AUSP282.PROD.OUTLOOK.COM>",
        attachments=[("image001.png", False, "inline image"), ("test.png", True, None)]),
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
    "msg/attachments.msg": dict(  # a delay notice: its two parts (delivery status, headers) have no file names
        kind=ItemKind.EMAIL, title="Delivery delayed:RE: Bosco Fraud Cases [ 2 of 8]", date=date(2016, 4, 11),
        sender="microsoftexchange329e71ec88ae4615bbc36ab6ce41109e@coab.us", sender_name="Microsoft Outlook",
        recipients=["darlington@coab.us"],
        message_id="<ed921c14-a16b-40e8-9946-d223d5f5eb98@ABMAIL13.ci.atlantic-beach.fl.us>",
        attachments=[("attachment 1", True, None), ("attachment 2", True, None)]),
    "msg/chinese-traditional.msg": dict(  # the sender is an Exchange sender: a name, no address
        kind=ItemKind.EMAIL, title="Alfresco MSG format testing ( MSG 格式測試 )", date=date(2011, 3, 29), sender=None,
        sender_name="Tests Chang@FT (張毓倫)", recipients=["tests.chang@fengttt.com"],
        message_id="<EBB9951D34EA4B41B70AB946CF3FB6EC1A297D98@ftm02.FT.FTG.COM>", attachments=[]),
    "msg/contactAnsi.msg": dict(
        kind=ItemKind.CONTACT, item_class="IPM.Contact", title="コム ドット イグザンプル 殿", date=date(2022, 7, 20),
        message_id=None, description=["My work company", "test@example.com", "06-0001-0002"], attachments=[]),
    "msg/corrupt-truncated-TxtSampleEmail.msg": dict(error="the Outlook file is damaged or incomplete"),
    "msg/cyrillic_message.msg": dict(
        kind=ItemKind.EMAIL, title="Автоматический ответ подсистемы обмена данными ФГУП \"Почта России\".",
        date=date(2010, 5, 18), sender="no-reply@niips.ru", recipients=["sviridov@niips.ru", "sviridov@niips.ru"],
        message_id="<14898748.21.1274168319532.JavaMail.gvcasc_dev_niips@10.1.10.50>", attachments=[]),
    "msg/failed.msg": dict(  # a non-delivery report saved as a plain IPM.Note
        kind=ItemKind.EMAIL, title="Undeliverable: test subj", date=date(2015, 5, 11), sender="postmaster@aspose.com",
        recipients=["svcx555@gmail.com"], message_id="<39c4941c-8e45-4471-8f04-de5bcee0a65a@aspose.com>",
        attachments=[("details.txt", True, None), ("test subj.msg", True, None)],
        attachment_kinds=[ItemKind.FILE, ItemKind.EMAIL]),
    "msg/msgClassAppointment.msg": dict(  # the organizer's row in the recipient table is the sender, no recipient
        kind=ItemKind.APPOINTMENT, item_class="IPM.Appointment", title="Quick brown fox", date=date(2017, 2, 28),
        sender="tallison@mitre.org", sender_name="Allison, Timothy B.", recipients=[], message_id=None,
        description=["2017-02-28 19:30", "20:00", "under lazy dog"], attachments=[]),
    "msg/msgClassContact.msg": dict(
        kind=ItemKind.CONTACT, item_class="IPM.Contact", title="Quick Brown Fox Jr", date=date(2017, 2, 28),
        message_id=None, description=["Fence Co", "quickbrown@gmail.com", "(123) 456-7890"], attachments=[]),
    "msg/msgClassTask.msg": dict(
        kind=ItemKind.TASK, item_class="IPM.Task", title="Must jump over the lazy dog", date=date(2017, 2, 28),
        message_id=None, description=["2017-02-19", "2017-03-10"], attachments=[]),
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
    "office/Bug45473.doc": dict(  # SummaryInformation in code page 1255
        kind=ItemKind.FILE, mime="application/msword", date=date(2008, 7, 23), author="IBM User",
        title="יותר מחצי שנה אחרי שדו\"ח וינוגרד קבע כי יש להחליט באופן ברור על תפקידיה של המועצה לביטחון לאומי, "
              "עושה הכנסת צעד משמעותי ליישום"),
    "office/SampleDoc.doc": dict(kind=ItemKind.FILE, title="Test Document", mime="application/msword",
                                 date=date(2008, 1, 4), author="Nick Burch"),
    "office/SampleSS.xlsx": dict(kind=ItemKind.FILE, title="Sample Spreadsheet", date=date(2008, 1, 4),
                                 author="Nick Burch"),
    "office/SampleShow.pptx": dict(kind=ItemKind.FILE, title="SlideShow Sample", date=date(2008, 1, 4),
                                   author="Nick Burch"),
    "office/WordWithAttachments.docx": dict(  # its embedded OLE objects are part of its content, not attachments
        kind=ItemKind.FILE, title="Русский вариант", date=date(2008, 4, 8), author="vbiryukova", attachments=[]),
    "office/protected_passtika.xlsx": dict(kind=ItemKind.FILE, title="protected passtika", encrypted=True,
                                           warning="protected by a password"),
    "pdf/GeoTopo-komprimiert.pdf": dict(kind=ItemKind.PDF, title="Geometrie und Topologie", pages=117,
                                        author="Martin Thoma", date=date(2016, 12, 31)),
    "pdf/Seige_of_Vicksburg_Sample_OCR.pdf": dict(kind=ItemKind.PDF, title="Seige of Vicksburg Sample OCR", pages=6,
                                                   date=date(2010, 8, 2)),
    "pdf/annotation-fileattachment.pdf": dict(
        kind=ItemKind.PDF, title="annotation-fileattachment", pages=1, author="Tim van der Meij",
        date=date(2015, 12, 20), attachments=[("Test.txt", True, None)], attachment_kinds=[ItemKind.FILE]),
    "pdf/bug1795263.pdf": dict(kind=ItemKind.PDF, title="bug1795263", pages=1,  # xref past the end: repaired
                               warning="repairing"),
    "pdf/bug1815476.pdf": dict(kind=ItemKind.PDF, title="solicitud del titulo", pages=1, author="PC3",
                               date=date(2020, 10, 14)),  # static XFA form, encrypted with an empty password
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
    "pdf/issue17147.pdf": dict(kind=ItemKind.PDF, title="issue17147", pages=1, author="Windows ユーザー",
                               date=date(2023, 10, 17), warning="repairing"),  # both startxref values wrong
    "pdf/issue18030.pdf": dict(kind=ItemKind.PDF, title="issue18030", pages=1,  # its Title "a" is a TeX job name
                               attachments=[("Empty page.pdf", True, None)], attachment_kinds=[ItemKind.PDF]),
    "pdf/issue8844.pdf": dict(kind=ItemKind.PDF, title="issue8844", pages=1, date=date(2017, 8, 30),
                              attachments=[("man.pdf", True, None)], attachment_kinds=[ItemKind.PDF]),
    "pdf/libreoffice-writer-password.pdf": dict(kind=ItemKind.PDF, title="libreoffice-writer-password",
                                                encrypted=True, pages=None, warning="protected by a password"),
    "pdf/minimal-document.pdf": dict(kind=ItemKind.PDF, title="minimal-document", pages=1),
    "pdf/pdflatex-4-pages.pdf": dict(kind=ItemKind.PDF, title="pdflatex-4-pages", pages=4),
    "pdf/scan-bad.pdf": dict(kind=ItemKind.PDF, title="scan-bad", pages=1,  # 11 KB of junk after its %%EOF
                             date=date(2011, 12, 3),  # made 2011-12-02 17:21 -06:00, the 3rd in Copenhagen
                             warning="repairing"),
    "pdf/synthetic-5000-blank-pages.pdf": dict(kind=ItemKind.PDF, title="synthetic 5000 blank pages", pages=5000),
    "pdf/with-attachment.pdf": dict(kind=ItemKind.PDF, title="with-attachment", pages=1),
    "pdf/xfa_issue14315.pdf": dict(kind=ItemKind.PDF, title="xfa issue14315", pages=1, date=date(2021, 11, 26),
                                   warning="XFA"),  # dynamic XFA: its only PDF page is Adobe's placeholder
}

# What the intake does not do yet for a sample (issue "intake fidelity"), one line each. The entry above
# says what it should propose; until it does, that sample's case is an expected failure, and it fails
# loudly the day the intake gets it right, so that the line here is removed with the fix.
INTAKE_GAPS: dict[str, str] = {
}


def _cases() -> list:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=INTAKE_GAPS[name]))
            if name in INTAKE_GAPS else name for name in sorted(EXPECTED)]


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(scratch_dir=tmp_path / "scratch")


def test_every_sample_has_written_expectations(samples: Path) -> None:
    found = {p.relative_to(samples).as_posix() for p in samples.rglob("*") if p.is_file() and p.name != "SOURCES.txt"}
    assert found == set(EXPECTED)
    assert set(INTAKE_GAPS) <= set(EXPECTED) - {name for name, e in EXPECTED.items() if "error" in e}


@pytest.mark.parametrize("name", _cases())
def test_sample(samples: Path, settings: IntakeSettings, name: str) -> None:
    expected = EXPECTED[name]
    path = samples / name
    if "error" in expected:
        with pytest.raises(InputError) as caught:
            propose(path, settings=settings)
        assert path.name in caught.value.message and expected["error"] in caught.value.message
        return
    try:
        candidate = propose(path, settings=settings)
    except InputError as exc:  # an assertion, so that only a wrong proposal counts as an expected failure
        raise AssertionError(f"{name} should be proposed, not refused: {exc.message}") from exc
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
            assert metadata.sender is not None and metadata.sender.name == expected["sender_name"]
        if "recipients" in expected:
            assert [p.email for p in metadata.recipients] == expected["recipients"]
        if "description" in expected:
            assert all(part in metadata.description for part in expected["description"]), repr(metadata.description)
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
    folders = sorted(p for p in samples.iterdir() if p.is_dir())
    outcomes = list(propose_each(folders, settings=settings))
    assert sorted(o.path.relative_to(samples).as_posix() for o in outcomes) == sorted(EXPECTED)
    assert all((o.candidate is None) != (o.error is None) for o in outcomes)
    errors = {o.path.relative_to(samples).as_posix(): o.error.message for o in outcomes if o.error}
    for name, message in errors.items():  # each refusal names its file and the problem, the rest went on
        assert PurePath(name).name in message, message
    must_fail = {name for name, e in EXPECTED.items() if "error" in e}
    assert must_fail <= set(errors)
    assert set(errors) - must_fail <= set(INTAKE_GAPS)  # refused today, though readable: see INTAKE_GAPS
    for outcome in outcomes:
        if outcome.candidate is not None:
            release(outcome.candidate)
