"""`caseclient file` and `caseclient watch` against the reference service (oio): a mail's attachments are
filed beside it or left inside it, as --attachments or the setting intake.attachments says, and every
document filed carries the media type intake detected, whatever its name says."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfWriter

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.cli import main

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("CASECLIENT_HOME", str(home))
    return home


@pytest.fixture
def service(reference_service):
    return OioService(reference_service.url)


@pytest.fixture
def case(service):
    return service.search_cases(CaseQuery(limit=1))[0]


def pdf_bytes(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(title: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document xmlns:w='urn:w'/>")
        archive.writestr("docProps/core.xml", (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></cp:coreProperties>'))
    return out.getvalue()


def mail_with_attachments(path: Path, tag: str) -> Path:
    mail = EmailMessage()
    mail["Subject"] = f"Klage {tag}"
    mail["From"] = "Ole Hansen <ole@example.dk>"
    mail["To"] = "sag@kommune.example.dk"
    mail["Date"] = "Tue, 05 Mar 2024 10:00:00 +0100"
    mail["Message-ID"] = f"<{tag}@example.dk>"
    mail.set_content("Se bilag.")
    mail.add_attachment(pdf_bytes(f"Bilag {tag}"), maintype="application", subtype="octet-stream",
                        filename=f"bilag-{tag}")  # no extension, a wrong type: the content says PDF
    mail.add_attachment(docx_bytes(f"Indsigelse {tag}"), maintype="application", subtype="octet-stream",
                        filename=f"indsigelse-{tag}.docx")
    path.write_bytes(bytes(mail))
    return path


def filed(service: OioService, case_id: str) -> dict[str, object]:
    return {d.filename: d for d in service.list_documents(case_id)}


def test_file_puts_a_mails_attachments_beside_it_with_their_media_types(reference_service, service, case, tmp_path,
                                                                         capsys):
    path = mail_with_attachments(tmp_path / "klage.eml", "a1")
    assert main(["file", str(path), "--case", case.number, "--json", "--service", reference_service.url]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r.get("attachment") for r in rows] == [None, "bilag-a1", "indsigelse-a1.docx"]
    assert all(r["path"] == str(path) and r["document_id"] for r in rows)
    documents = filed(service, case.id)
    assert documents["klage.eml"].mime_type == "message/rfc822"
    assert documents["bilag-a1"].mime_type == "application/pdf"
    assert documents["bilag-a1"].title == "Bilag a1"
    assert documents["indsigelse-a1.docx"].mime_type == DOCX
    assert documents["indsigelse-a1.docx"].title == "Indsigelse a1"
    assert documents["bilag-a1"].document_date == documents["klage.eml"].document_date  # dated as the mail


@pytest.mark.parametrize(("argv", "separate"), [
    (["--attachments", "with-mail"], False),
    (["--set", "intake.attachments=with-mail"], False),
    (["--set", "intake.attachments=with-mail", "--attachments", "separate"], True),
])
def test_the_organisations_setting_or_the_option_keeps_attachments_in_the_mail(reference_service, service, case,
                                                                               tmp_path, capsys, argv, separate):
    tag = f"b{len(argv)}{int(separate)}"
    path = mail_with_attachments(tmp_path / f"klage-{tag}.eml", tag)
    assert main(["file", str(path), "--case", case.number, "--service", reference_service.url, *argv]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    names = set(filed(service, case.id))
    assert path.name in names
    assert (f"bilag-{tag}" in names) is separate and (f"indsigelse-{tag}.docx" in names) is separate
    assert len(printed) == (3 if separate else 1)


def test_file_sends_the_detected_type_not_one_guessed_from_the_name(reference_service, service, case, tmp_path,
                                                                   capsys):
    scan = tmp_path / "scan0001"  # a scanner's name without an extension
    scan.write_bytes(pdf_bytes("Scannet brev"))
    named_wrong = tmp_path / "referat.txt"
    named_wrong.write_bytes(docx_bytes("Referat"))
    assert main(["file", str(scan), str(named_wrong), "--case", case.number, "--service",
                 reference_service.url]) == 0
    documents = filed(service, case.id)
    assert documents["scan0001"].mime_type == "application/pdf"
    assert documents["referat.txt"].mime_type == DOCX


def test_an_outlook_item_is_filed_as_one_with_its_attachment_beside_it(reference_service, service, case, samples,
                                                                       capsys):
    path = samples / "msg" / "HtmlSampleEmailWithAttachment.msg"
    assert main(["file", str(path), "--case", case.number, "--service", reference_service.url]) == 0
    documents = filed(service, case.id)
    assert documents[path.name].mime_type == "application/vnd.ms-outlook"
    assert documents["SampleAttachment.pdf"].mime_type == "application/pdf"


def _watch(folder: Path, home: Path, url: str, *argv: str) -> subprocess.Popen:
    env = {**os.environ, "CASECLIENT_HOME": str(home)}
    home.mkdir(parents=True, exist_ok=True)
    with (home / "watch.log").open("a", encoding="utf-8") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "caseclient", "watch", "--folder", str(folder), "--stability-delay", "0.3",
             "--rescan", "5", "--service", url, *argv], env=env, stdout=subprocess.DEVNULL, stderr=log)


@pytest.mark.parametrize("mode", ["separate", "with-mail"])
def test_watch_files_a_mails_attachments_as_the_option_says(reference_service, service, case, tmp_path, mode):
    folder = tmp_path / "scan"
    folder.mkdir()
    home = tmp_path / "watch-home"
    process = _watch(folder, home, reference_service.url, "--attachments", mode)
    try:
        staging = mail_with_attachments(tmp_path / "mail.eml", "w")
        staging.rename(folder / f"{case.number} klage.eml")  # the case number in its name routes it
        deadline = time.monotonic() + 240
        tick = threading.Event()
        while f"{case.number} klage.eml" not in filed(service, case.id) or (
                mode == "separate" and "indsigelse-w.docx" not in filed(service, case.id)):
            assert process.poll() is None, (home / "watch.log").read_text()[-2000:]
            assert time.monotonic() < deadline, (home / "watch.log").read_text()[-2000:]
            tick.wait(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
    documents = filed(service, case.id)
    assert documents[f"{case.number} klage.eml"].mime_type == "message/rfc822"
    if mode == "separate":
        assert documents["bilag-w"].mime_type == "application/pdf"
        assert documents["indsigelse-w.docx"].mime_type == DOCX
    else:  # nothing else was queued: the outbox the watcher used is empty of attachments
        from caseclient.store import Outbox, open_database, outbox_files_dir

        db = open_database(home / "data")
        try:
            items = Outbox(db, outbox_files_dir(home / "data")).items()
        finally:
            db.close()
        assert [item.filename for item in items] == [f"{case.number} klage.eml"]
        assert "bilag-w" not in documents and "indsigelse-w.docx" not in documents
