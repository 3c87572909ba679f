"""`caseclient doctor`: check the settings, the keyring, the way to the document service (DNS,
proxy, TLS), the sign-in, a read call and a harmless write where the backend offers one, and
return a plain report a caseworker can send to support. Nothing secret is in it: settings hold no
secrets, and every line passes the redaction filter. Qt-free.

The command line imports this module on every start (for its parser): the network and sign-in
modules load when the sign-in is checked.
"""

from __future__ import annotations

import argparse
import json
import platform
import socket
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

import requests

from .. import __version__
from ..backends.protocol import CaseQuery, DocumentService
from ..config import Settings, SourceKind
from ..connection import add_service_options
from ..credentials import CredentialStore, KeyringError
from ..domain import CaseclientError
from ..redaction import redact

if TYPE_CHECKING:
    from ..net.auth import ContextFactory

OK, WARNING, FAILED, SKIPPED = "ok", "warning", "failed", "skipped"
_SECRET_MODES = ("token", "basic", "ntlm", "oauth2_client_credentials", "oauth2_password",
                 "oauth2_authorization_code")


@runtime_checkable
class WriteCheck(Protocol):
    """A backend that can prove write access without leaving anything behind."""

    def check_write_access(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: str
    detail: str
    millis: float | None = None


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)
    settings: list[dict[str, str]] = field(default_factory=list)
    created: str = ""

    @property
    def ok(self) -> bool:
        return all(c.status != FAILED for c in self.checks)

    def add(self, name: str, status: str, detail: str, millis: float | None = None) -> Check:
        check = Check(name, status, redact(detail), millis)
        self.checks.append(check)
        return check

    def as_text(self) -> str:
        lines = [f"caseclient doctor, {self.created}",
                 f"caseclient {__version__}, Python {platform.python_version()}, {platform.platform(terse=True)}", ""]
        for c in self.checks:
            took = f" ({c.millis:.0f} ms)" if c.millis is not None else ""
            lines.append(f"[{c.status.upper():^7}] {c.name}: {c.detail}{took}")
        lines += ["", "Settings (value, where it comes from):"]
        for s in self.settings:
            lock = f"; locked: {s['locked']}" if s["locked"] else ""
            where = s["source"] if s["origin"] in ("built-in", "the command line") else f"{s['source']}: {s['origin']}"
            lines.append(f"  {s['key']} = {s['value']}  ({where}{lock})")
        return redact("\n".join(lines) + "\n")

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "version": __version__,
            "ok": self.ok,
            "checks": [{"name": c.name, "status": c.status, "detail": c.detail, "millis": c.millis}
                       for c in self.checks],
            "settings": self.settings,
        }


class _Timer:
    """How long a step took, readable inside and after its `with` block."""

    def __enter__(self) -> "_Timer":
        self.start, self.end = time.perf_counter(), None
        return self

    def __exit__(self, *_exc: object) -> None:
        self.end = time.perf_counter()

    @property
    def millis(self) -> float:
        return ((self.end or time.perf_counter()) - self.start) * 1000


def run_doctor(
    settings: Settings,
    *,
    connect: Callable[[requests.Session], DocumentService] | None = None,
    credentials: CredentialStore | None = None,
    negotiate_context: ContextFactory | None = None,
    resolve: Callable[..., list[Any]] = socket.getaddrinfo,
) -> DoctorReport:
    """Every check, in order; a failed step skips the ones that need it, never raises.

    `connect` turns the session into the backend (the composition root's choice); without it the
    read and write checks are skipped.
    """
    report = DoctorReport(created=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    report.settings = [_setting_line(e) for e in settings]
    origins = sorted({e.origin for e in settings if e.source is not SourceKind.DEFAULT})
    report.add("settings", OK, "read from " + (", ".join(origins) if origins else "built-in defaults only"))
    if not _check_system(report, settings):
        for step in ("keyring", "service", "sign-in", "read", "write"):
            report.add(step, SKIPPED, "needs a kind of document service caseclient speaks")
        return report
    mode = settings.text("auth.mode")
    store = _check_keyring(report, credentials, needed=mode in _SECRET_MODES)
    url = settings.text("service.url")
    if url:
        _check_route(report, settings, url, resolve, store)
    else:
        report.add("service", OK, "the embedded reference service (inside caseclient, no network)")
    session = _check_sign_in(report, settings, store, negotiate_context, mode)
    if session is None or connect is None:
        report.add("read", SKIPPED, "needs a working sign-in" if session is None else "no document service given")
        report.add("write", SKIPPED, "needs the read check")
        return report
    _check_read_and_write(report, session, connect)
    return report


def _check_system(report: DoctorReport, settings: Settings) -> bool:
    """Which system caseclient files into (service.kind), by the name people know it by."""
    from ..connection import backend_kind

    try:
        kind = backend_kind(settings)
    except CaseclientError as exc:
        report.add("system", FAILED, exc.message)
        return False
    report.add("system", OK, f"{kind.system} (service.kind = {settings.text('service.kind')})")
    return True


def _setting_line(entry: Any) -> dict[str, str]:
    return {
        "key": entry.key,
        "value": redact(repr(entry.value) if isinstance(entry.value, str) else str(entry.value)),
        "source": entry.source.value,
        "origin": entry.origin,
        "locked": entry.lock.reason if entry.lock else "",
    }


def _check_keyring(report: DoctorReport, credentials: CredentialStore | None, *, needed: bool) -> CredentialStore | None:
    try:
        store = credentials or CredentialStore()
    except KeyringError as exc:
        report.add("keyring", FAILED if needed else WARNING, exc.message)
        return None
    report.add("keyring", OK, store.backend_name)
    return store


def _check_route(report: DoctorReport, settings: Settings, url: str, resolve: Callable[..., list[Any]],
                 store: CredentialStore | None) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    proxy = _proxy_for(settings, url)
    report.add("proxy", OK, proxy or "none (direct connection)")
    why = "no address"
    with _Timer() as t:
        try:
            addresses = sorted({info[4][0] for info in resolve(host, port, type=socket.SOCK_STREAM)})
        except OSError as exc:
            addresses = []
            why = exc.strerror or type(exc).__name__
    if addresses:
        report.add("dns", OK, f"{host} is {', '.join(addresses)}", t.millis)
    else:
        # behind a proxy, the proxy resolves names: only a warning then
        report.add("dns", WARNING if proxy else FAILED, f"the name {host} cannot be found ({why})", t.millis)
    if parts.scheme != "https":
        report.add("tls", SKIPPED, "plain http to this machine")
    elif proxy:
        report.add("tls", SKIPPED, "through the proxy: the read check shows whether TLS works")
    elif addresses:
        _check_tls(report, settings, host, port, store)


def _proxy_for(settings: Settings, url: str) -> str:
    chosen = settings.text("network.proxy")
    if chosen == "none":
        return ""
    if chosen != "system":
        no_proxy = settings.text("network.no_proxy")
        return "" if no_proxy and requests.utils.should_bypass_proxies(url, no_proxy) else chosen
    found = requests.utils.get_environ_proxies(url)
    return found.get(urlsplit(url).scheme) or found.get("all") or ""


def _check_tls(report: DoctorReport, settings: Settings, host: str, port: int,
               store: CredentialStore | None) -> None:
    """A handshake as the session makes it: the trust store, the extra CA and the client certificate."""
    from ..credentials import SecretKind
    from ..net.tls import CertificateError, make_ssl_context

    certificate = settings.text("tls.client_certificate")
    password = None
    if certificate and store is not None:
        password = store.get(settings.text("service.url"), SecretKind.CERTIFICATE_PASSWORD, certificate)
    try:
        ctx = make_ssl_context(ca_bundle=settings.text("tls.ca_bundle"), client_certificate=certificate,
                               client_key=settings.text("tls.client_key"), certificate_password=password)
    except CertificateError as exc:
        report.add("tls", FAILED, exc.message)
        return
    timeout = settings.number("network.connect_timeout")
    with _Timer() as t:
        try:
            with socket.create_connection((host, port), timeout=timeout) as raw:
                with ctx.wrap_socket(raw, server_hostname=host) as tls:
                    version, peer = tls.version(), tls.getpeercert() or {}
            problem = None
        except ssl.SSLCertVerificationError as exc:
            problem = (f"the certificate of {host} is not trusted ({exc.verify_message}); if your "
                       "organisation inspects TLS, its CA belongs in the system's trust store or in tls.ca_bundle")
        except (OSError, ssl.SSLError) as exc:
            problem = f"no TLS connection to {host}:{port} ({exc.strerror or type(exc).__name__})"
    if problem:
        report.add("tls", FAILED, problem, t.millis)
        return
    issuer = _name(peer.get("issuer", ()))
    report.add("tls", OK, f"{version}, certificate for {_name(peer.get('subject', ()))} from {issuer}, "
                          f"valid until {peer.get('notAfter', '?')}", t.millis)


def _name(rdns: Any) -> str:
    for rdn in rdns:
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return "?"


def _check_sign_in(report: DoctorReport, settings: Settings, store: CredentialStore | None,
                   negotiate_context: ContextFactory | None, mode: str) -> requests.Session | None:
    from ..net import build_session
    from ..net.auth import OAuth2Auth

    if store is None and mode in _SECRET_MODES:
        report.add("sign-in", FAILED, f"{mode} sign-in needs the system keyring")
        return None
    with _Timer() as t:
        try:
            session = build_session(settings, store, negotiate_context=negotiate_context)
            if isinstance(session.auth, OAuth2Auth):
                session.auth.access_token()
                detail = sign_in_sentence(mode, oauth2=True)
            else:
                detail = sign_in_sentence(mode)
        except CaseclientError as exc:
            report.add("sign-in", FAILED, exc.message, t.millis)
            return None
    report.add("sign-in", OK, detail, t.millis)
    return session


def sign_in_sentence(mode: str, *, oauth2: bool = False) -> str:
    """What the sign-in check found, in words the redaction leaves alone: a mode's name is never
    followed by a word or a colon ("basic secret" reads as a Basic header, "token: the" as a token)."""
    if oauth2:
        return f"the sign-in service gave an access token (sign-in mode {mode})"
    return {"none": "no sign-in configured", "negotiate": "Kerberos, checked by the read call",
            "ntlm": "NTLM, checked by the read call",
            "client_certificate": "client certificate loaded; checked by the read call"}.get(
        mode, f"the secret is in the keyring (sign-in mode {mode})")


def _check_read_and_write(report: DoctorReport, session: requests.Session,
                          connect: Callable[[requests.Session], DocumentService]) -> None:
    with _Timer() as t:
        try:
            service = connect(session)
            found = service.search_cases(CaseQuery(limit=1))
        except CaseclientError as exc:
            report.add("read", FAILED, exc.message, t.millis)
            report.add("write", SKIPPED, "needs the read check")
            return
    report.add("read", OK, f"a case search answered ({len(found)} case{'s' if len(found) != 1 else ''})", t.millis)
    if not isinstance(service, WriteCheck):
        report.add("write", SKIPPED, f"the {service.name} backend has no harmless write check")
        return
    with _Timer() as t:
        try:
            detail = service.check_write_access()
        except CaseclientError as exc:
            report.add("write", FAILED, exc.message, t.millis)
            return
    report.add("write", OK, detail, t.millis)


# --- the command ------------------------------------------------------------------------------

def add_parser(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser("doctor", help="check settings, keyring, network and sign-in; print a report for support")
    doctor.add_argument("--json", action="store_true", help="print JSON")
    doctor.add_argument("--recover-copies", metavar="FOLDER", default=None,
                        help="move the document copies a lost outbox database left in the data folder to FOLDER "
                             "(named recovered-N with their type's extension), to look at and add again")
    add_service_options(doctor)


def run(args: argparse.Namespace) -> int:
    from ..connection import (
        BACKENDS,
        backend_for,
        load_command_line_settings,
        open_embedded_service,
    )

    if args.recover_copies is not None:
        return recover_kept_copies(Path(args.recover_copies))
    settings = load_command_line_settings(args.service, args.set)
    if settings.text("service.kind") not in BACKENDS:
        report = run_doctor(settings)  # says which kinds caseclient speaks
    elif settings.text("service.url"):
        report = run_doctor(settings, connect=lambda session: backend_for(settings, session))
    else:
        with open_embedded_service(settings) as embedded:
            report = run_doctor(settings, connect=lambda _session: embedded)
    check_data_folder(report)
    print(json.dumps(report.as_json(), ensure_ascii=False, indent=2) if args.json else report.as_text(), end="")
    return 0 if report.ok else 1


def check_data_folder(report: DoctorReport, data_dir: Path | None = None) -> None:
    """What a lost or damaged outbox database left in the data folder: listed, and offered back."""
    from .. import paths
    from ..store import DATABASE_NAME, outbox_files_dir
    from ..store.integrity import kept_aside

    data_dir = data_dir or paths.data_dir()
    kept = kept_aside(data_dir, data_dir / DATABASE_NAME, outbox_files_dir(data_dir))
    if not kept.sentences():
        report.add("outbox copies", OK, f"every document copy in {data_dir} belongs to an outbox item")
        return
    offer = (" `caseclient doctor --recover-copies FOLDER` moves the copies to FOLDER to look at and add again."
             if kept.copies else "")
    report.add("outbox copies", WARNING, "; ".join(kept.sentences()).capitalize() + "." + offer)


def recover_kept_copies(target: Path, data_dir: Path | None = None) -> int:
    """`doctor --recover-copies FOLDER`: the copies kept aside, handed back to the user."""
    from .. import paths
    from ..store import DATABASE_NAME, outbox_files_dir
    from ..store.integrity import kept_aside, recover_copies

    data_dir = data_dir or paths.data_dir()
    kept = kept_aside(data_dir, data_dir / DATABASE_NAME, outbox_files_dir(data_dir))
    if not kept.copies:
        print(f"No document copies are kept aside in {data_dir}.")
        return 0
    try:
        moved = recover_copies(kept, target)
    except OSError as error:
        print(f"caseclient: the copies could not be moved to {target} ({error.strerror or error}).", file=sys.stderr)
        return 1
    print(f"{len(moved)} document cop{'y' if len(moved) == 1 else 'ies'} moved to {target}; look at them and add "
          f"them again with `caseclient file`.")
    return 0
