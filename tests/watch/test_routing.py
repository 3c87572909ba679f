"""Routing real PDFs against the reference service: file names, cover sheets (printed, put in front
of a letter, scanned back), text-layer case numbers and CPR numbers, the inbox fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from caseclient.domain import Direction, InputError, Sensitivity
from caseclient.filing.clock import ManualClock
from caseclient.watch import ClaimBook, CoverSheet, FolderDefaults, Router, RoutingRule, ScanFolder, write_cover_sheet
from caseclient.watch.first_page import read_cover_sheet
from watch_pdfs import first_page_text, joined, page_count, scanned, text_pdf


@pytest.fixture
def router(backend, tmp_path) -> Router:
    return Router(backend, tmp_path / "scratch")


def _claim(folder: ScanFolder, source: Path, relative: str):
    target = folder.path / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    claim = ClaimBook(folder, "host-a", ManualClock(), timeout=600).claim(target)
    assert claim is not None
    return claim


def test_cover_sheet_payload_round_trip():
    sheet = CoverSheet("27.24.00-G01-1-24", FolderDefaults(Direction.INCOMING, "Ansøgning", Sensitivity.SENSITIVE))
    assert CoverSheet.from_payload(sheet.payload()) == sheet
    assert CoverSheet.from_payload("https://example.org/?case=1") is None
    assert CoverSheet.from_payload("caseclient:cover:1?type=Brev") is None


def test_a_printed_cover_sheet_is_readable_as_text_and_as_qr(cases, tmp_path):
    case = cases[0]
    sheet = write_cover_sheet(case, tmp_path / "cover.pdf", FolderDefaults(document_type="Brev"))
    text = first_page_text(sheet)
    assert case.number in text and "FORSIDE" in text
    assert read_cover_sheet(sheet) == CoverSheet(case.number, FolderDefaults(document_type="Brev"))
    assert read_cover_sheet(scanned(sheet, tmp_path / "cover-scanned.pdf")) == CoverSheet(
        case.number, FolderDefaults(document_type="Brev"))


def test_a_scanned_cover_sheet_routes_the_letter_behind_it_and_is_not_filed(router, cases, samples, tmp_path):
    case = cases[1]
    cover = write_cover_sheet(case, tmp_path / "cover.pdf",
                              FolderDefaults(document_type="Brev", sensitivity=Sensitivity.CONFIDENTIAL))
    paper = joined(tmp_path / "paper.pdf", cover, samples / "pdf" / "pdflatex-4-pages.pdf")
    scan = scanned(paper, tmp_path / "scan0001.pdf", dpi=100)
    folder = ScanFolder(tmp_path / "scan", routing=(RoutingRule.FILE_NAME, RoutingRule.COVER_SHEET))
    routed = router.route(_claim(folder, scan, "scan0001.pdf"))
    assert routed.case == case and routed.rule is RoutingRule.COVER_SHEET
    assert routed.metadata.document_type == "Brev" and routed.metadata.sensitivity is Sensitivity.CONFIDENTIAL
    assert routed.upload_path != routed.claim.path
    assert page_count(routed.upload_path) == 4 and page_count(routed.claim.path) == 5


def test_a_cover_sheet_alone_goes_to_the_inbox(router, cases, tmp_path):
    cover = write_cover_sheet(cases[0], tmp_path / "cover.pdf")
    routed = router.route(_claim(ScanFolder(tmp_path / "scan"), cover, "only-cover.pdf"))
    assert routed.case is None and "only a cover sheet" in routed.reason


def test_a_case_number_in_the_file_name(router, cases, samples, tmp_path):
    case = cases[2]
    folder = ScanFolder(tmp_path / "scan", defaults=FolderDefaults(document_type="Notat"))
    routed = router.route(_claim(folder, samples / "pdf" / "minimal-document.pdf", f"brev {case.number}.pdf"))
    assert routed.case == case and routed.rule is RoutingRule.FILE_NAME
    assert routed.upload_path == routed.claim.path
    assert routed.metadata.document_type == "Notat" and routed.metadata.direction is Direction.INCOMING


def test_a_case_number_in_the_folder_name(router, cases, samples, tmp_path):
    case = cases[3]
    routed = router.route(_claim(ScanFolder(tmp_path / "scan"), samples / "pdf" / "minimal-document.pdf",
                                 f"{case.number}/scan0002.pdf"))
    assert routed.case == case and routed.rule is RoutingRule.FILE_NAME


def test_a_case_number_in_the_first_pages_text(router, cases, tmp_path):
    case = cases[4]
    letter = text_pdf(tmp_path / "letter.pdf", f"Vedr. sag {case.number}\nTak for dit brev.", "Side to")
    routed = router.route(_claim(ScanFolder(tmp_path / "scan"), letter, "scan0003.pdf"))
    assert routed.case == case and routed.rule is RoutingRule.TEXT


def test_a_case_number_only_on_page_two_is_not_used(router, cases, tmp_path):
    letter = text_pdf(tmp_path / "letter.pdf", "Tak for dit brev.", f"Vedr. sag {cases[4].number}")
    routed = router.route(_claim(ScanFolder(tmp_path / "scan"), letter, "scan0004.pdf"))
    assert routed.case is None


def test_the_cpr_number_of_the_one_person_with_one_case(router, backend, cases, tmp_path, caplog):
    from caseclient.backends.protocol import CaseQuery
    from caseclient.domain import Party

    for case in cases:
        cprs = [p.cpr for p in case.parties if p.cpr]
        if cprs and len(backend.search_cases(CaseQuery(party=Party(cpr=cprs[0]), limit=2))) == 1:
            break
    else:
        pytest.skip("no person with exactly one case among the demo cases")
    digits = cprs[0].digits
    letter = text_pdf(tmp_path / "letter.pdf", f"Ansøgning om hjælp\nCPR-nr.: {digits[:6]}-{digits[6:]}")
    caplog.set_level("DEBUG", logger="caseclient")
    routed = router.route(_claim(ScanFolder(tmp_path / "scan"), letter, "scan0005.pdf"))
    assert routed.case == case and routed.rule is RoutingRule.TEXT
    assert routed.cprs == (cprs[0],)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("caseclient"))
    assert digits not in ours and digits[6:] not in routed.reason


def test_nothing_to_go_by_goes_to_the_inbox(router, samples, tmp_path):
    routed = router.route(_claim(ScanFolder(tmp_path / "scan"), samples / "pdf" / "imagemagick-images.pdf",
                                 "scan0006.pdf"))
    assert routed.case is None and routed.rule is None
    assert routed.reason == "no case number, cover sheet or CPR number was found"


def test_an_unknown_case_number_goes_to_the_inbox(router, samples, tmp_path):
    routed = router.route(_claim(ScanFolder(tmp_path / "scan"), samples / "pdf" / "minimal-document.pdf",
                                 "brev 99.99.99-Z99-9-99.pdf"))
    assert routed.case is None and "name no open case" in routed.reason


def test_rules_follow_the_folders_order(router, cases, tmp_path):
    letter = text_pdf(tmp_path / "letter.pdf", f"Vedr. sag {cases[0].number}")
    name = f"brev {cases[1].number}.pdf"
    by_text = ScanFolder(tmp_path / "a", routing=(RoutingRule.TEXT, RoutingRule.FILE_NAME))
    by_name = ScanFolder(tmp_path / "b", routing=(RoutingRule.FILE_NAME, RoutingRule.TEXT))
    assert router.route(_claim(by_text, letter, name)).case == cases[0]
    assert router.route(_claim(by_name, letter, name)).case == cases[1]
    only_cover = ScanFolder(tmp_path / "c", routing=(RoutingRule.COVER_SHEET,))
    assert router.route(_claim(only_cover, letter, name)).case is None


@pytest.mark.parametrize("name", ["corrupt-truncated-minimal-document.pdf", "corrupt-empty.pdf"])
def test_a_broken_file_is_one_clear_sentence(router, samples, tmp_path, name):
    with pytest.raises(InputError) as raised:
        router.route(_claim(ScanFolder(tmp_path / "scan"), samples / "pdf" / name, name))
    assert name in raised.value.message


def test_a_password_protected_scan_goes_to_the_inbox(router, samples, tmp_path):
    routed = router.route(_claim(ScanFolder(tmp_path / "scan"), samples / "pdf" / "encrypted-file.pdf",
                                 "scan0007.pdf"))
    assert routed.case is None
