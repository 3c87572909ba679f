"""`caseclient coversheet` and `caseclient watch` on the command line."""

from __future__ import annotations

import pytest

from caseclient.cli import main
from caseclient.watch import CoverSheet
from caseclient.watch.first_page import read_cover_sheet
from watch_pdfs import first_page_text


def test_coversheet_writes_a_readable_sheet_for_the_case(reference_service, cases, tmp_path, capsys):
    target = tmp_path / "forside.pdf"
    code = main(["coversheet", "--case", cases[0].number, "-o", str(target), "--document-type", "Ansøgning",
                 "--service", reference_service.url])
    assert code == 0 and capsys.readouterr().out.strip() == str(target)
    sheet = read_cover_sheet(target)
    assert sheet is not None and sheet.case_number == cases[0].number
    assert sheet.defaults.document_type == "Ansøgning"
    assert cases[0].number in first_page_text(target)
    assert isinstance(sheet, CoverSheet)


def test_coversheet_for_an_unknown_case_is_one_sentence(reference_service, tmp_path, capsys):
    code = main(["coversheet", "--case", "99.99.99-Z99-9-99", "-o", str(tmp_path / "x.pdf"),
                 "--service", reference_service.url])
    err = capsys.readouterr().err.strip()
    assert code == 1 and err.startswith("caseclient: ") and len(err.splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_watch_without_folders_says_where_to_configure_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path))
    code = main(["watch", "--folders", str(tmp_path / "missing.toml")])
    err = capsys.readouterr().err
    assert code == 1 and "missing.toml does not exist" in err


@pytest.mark.parametrize("argv", [["watch", "--stability-delay", "soon"], ["coversheet", "--case", "1"]])
def test_bad_usage_exits_2(argv):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
