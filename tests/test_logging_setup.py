"""Log files rotate in the log folder, at the configured level, and never hold CPRs or secrets."""

from __future__ import annotations

import logging
import logging.handlers

import pytest

from caseclient.config import SettingsFiles, load_settings
from caseclient.logging_setup import LOG_FILE, RedactingFilter, add_redaction, configure_logging, configure_logging_from
from caseclient.redaction import redact, remember_secret

CPR = "0101904321"  # 1 Jan 1990: a valid date


@pytest.mark.parametrize("text, expected", [
    (f"party {CPR} and 010190-4321", "party 010190-xxxx and 010190-xxxx"),
    ("order 1234567890 stays", "order 1234567890 stays"),  # 12/34 is no date: not a CPR
    ("Authorization: Bearer abc.def.ghi", "Authorization: [redacted]"),
    ("{'Authorization': 'Basic amVuczpodW50ZXIy', 'Accept': '*/*'}", "{'Authorization': '[redacted]', 'Accept': '*/*'}"),
    ("www-authenticate: Negotiate YIIGhgYJKoZIhvcSAQICAQBu", "www-authenticate: [redacted]"),
    ("sent Bearer eyJhbGciOi.eyJzdWIiOiJq.sig123 to x", "sent Bearer [redacted] to x"),
    ("grant_type=client_credentials&client_secret=s3cr3t&scope=a", "grant_type=client_credentials&client_secret=[redacted]&scope=a"),
    ('{"access_token": "tok-9f8e7d", "expires_in": 300}', '{"access_token": "[redacted]", "expires_in": 300}'),
    ("password=hunter2 user=jens", "password=[redacted] user=jens"),
    ("GET /cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz", "GET /cb?code=[redacted]&state=xyz"),
    ("proxy http://jens:hunter2@proxy:8080", "proxy http://jens:[redacted]@proxy:8080"),
    ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcDEF_12 used", "token [redacted] used"),
    ("error code: auth (status 401)", "error code: auth (status 401)"),
])
def test_redact(text, expected):
    assert redact(text) == expected


def _read_logs(folder) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in folder.glob(LOG_FILE + "*"))


@pytest.fixture
def clean_root():
    """The root logger, given back afterwards with exactly the handlers and level it had."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    yield root
    for h in list(root.handlers):
        if h not in saved_handlers:
            root.removeHandler(h)
            h.close()
    for h in saved_handlers:
        if h not in root.handlers:
            root.addHandler(h)
    root.setLevel(saved_level)


def test_every_handler_is_redacted_and_files_rotate(tmp_path, clean_root):
    remember_secret("Sommer2026!")
    stream_lines: list[str] = []

    class ListHandler(logging.Handler):
        def emit(self, record):
            stream_lines.append(self.format(record))

    other = ListHandler()
    clean_root.addHandler(other)
    path = configure_logging("DEBUG", log_dir=tmp_path, max_bytes=2000, keep_files=2)
    assert path == tmp_path / LOG_FILE
    assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in clean_root.handlers)
    log = logging.getLogger("caseclient.test")
    for i in range(40):
        log.debug("party %s, header %s, password %s", CPR, {"Authorization": "Bearer tok-abcdef"}, "Sommer2026!")
    try:
        raise ValueError(f"server said: {CPR} rejected token=tok-abcdef")
    except ValueError:
        log.exception("upload failed for %s", CPR)
    written = _read_logs(tmp_path)
    assert len(list(tmp_path.glob(LOG_FILE + "*"))) == 3  # the file and two rotated ones
    for text in (written, "\n".join(stream_lines)):
        assert "010190-xxxx" in text and "[redacted]" in text
        assert CPR not in text and "010190-4321" not in text
        assert "tok-abcdef" not in text and "Sommer2026!" not in text
    assert "ValueError: server said: 010190-xxxx rejected token=[redacted]" in written


def test_configuring_again_replaces_the_file_handler(tmp_path, clean_root):
    configure_logging("INFO", log_dir=tmp_path / "a")
    configure_logging("WARNING", log_dir=tmp_path / "b")
    files = [h for h in clean_root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert [h.baseFilename for h in files] == [str(tmp_path / "b" / LOG_FILE)]
    logging.getLogger("caseclient.test").info("quiet line")
    logging.getLogger("caseclient.test").warning("loud line")
    written = _read_logs(tmp_path / "b")
    assert "loud line" in written and "quiet line" not in written


def test_log_level_comes_from_policy(tmp_path, clean_root):
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nreason = "Support case 77"\n[logging]\nlevel = "DEBUG"\nkeep_files = 2\n')
    user = tmp_path / "settings.toml"
    user.write_text('[logging]\nlevel = "ERROR"\n')
    settings = load_settings(SettingsFiles(policy=policy, user=user))
    configure_logging_from(settings, log_dir=tmp_path / "logs")
    assert clean_root.level == logging.DEBUG
    assert settings.entry("logging.level").lock.reason == "Support case 77"


def test_add_redaction_is_idempotent():
    handler = logging.StreamHandler()
    add_redaction(add_redaction(handler))
    assert len(handler.filters) == 1
