"""Composition root for the document service: a configured service URL, or the embedded one."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import requests

from . import paths
from .backends.protocol import DocumentService
from .config import Settings, SettingsError, SettingsFiles, load_settings, parse_assignments
from .intake.documents import AttachmentFiling
from .intake.settings import IntakeSettings

EMBEDDED_DEMO_CASES = 500
EMBEDDED_TIMEOUT = (10.0, 120.0)


def add_service_options(parser: argparse.ArgumentParser) -> None:
    """The options every command that talks to the document service takes."""
    parser.add_argument("--service", metavar="URL",
                        help="the document service (e.g. a LoRa); default: from the settings, else the "
                             "embedded reference service")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a setting for this run (repeatable); policy-locked settings stay")


def command_line_settings(service_url: str | None, assignments: Sequence[str] = ()) -> Settings:
    """For a command: the layered settings with the command line on top, and logging set up from them."""
    from .logging_setup import configure_logging_from

    settings = load_command_line_settings(service_url, assignments)
    configure_logging_from(settings)
    return settings


@contextmanager
def open_command_line_service(service_url: str | None, assignments: Sequence[str] = ()) -> Iterator[DocumentService]:
    """For a command: the document service the settings (command line on top) name."""
    with open_configured_service(command_line_settings(service_url, assignments)) as service:
        yield service


def intake_settings_from(settings: Settings) -> IntakeSettings:
    """What intake needs of the settings: the user's own addresses, the organisation's domains, and
    how a mail's attachments are filed."""

    def listed(key: str) -> frozenset[str]:
        return frozenset(part.strip() for part in settings.text(key).split(",") if part.strip())

    return IntakeSettings(own_addresses=listed("intake.own_addresses"),
                          internal_domains=listed("intake.internal_domains"),
                          attachments=AttachmentFiling.parse(settings.text("intake.attachments")))


Timeout = tuple[float, float]


def _oio(url: str, session: requests.Session, timeout: Timeout, settings: Settings | None) -> DocumentService:
    from .backends.oio import OioService

    return OioService(url, session, timeout=timeout)


def _sbsys(url: str, session: requests.Session, timeout: Timeout, settings: Settings | None) -> DocumentService:
    from .backends.sbsys import SbsysService

    return SbsysService(url, session, timeout=timeout)


def _getorganized(url: str, session: requests.Session, timeout: Timeout, settings: Settings | None) -> DocumentService:
    from .backends.getorganized import GetOrganizedService

    return GetOrganizedService(url, session, timeout=timeout)


def _nova(url: str, session: requests.Session, timeout: Timeout, settings: Settings | None) -> DocumentService:
    from .backends.nova import NovaService

    return NovaService(url, session, timeout=timeout)


def _f2(url: str, session: requests.Session, timeout: Timeout, settings: Settings | None) -> DocumentService:
    from .backends.f2 import F2Service

    return F2Service(url, session, timeout=timeout)


def _workzone(url: str, session: requests.Session, timeout: Timeout, settings: Settings | None) -> DocumentService:
    from .backends.workzone import WorkZoneService

    # WorkZone acts on behalf of the user caseclient knows at the service (service.caseworker), if set.
    user = settings.text("service.caseworker") if settings is not None else ""
    return WorkZoneService(url, session, timeout=timeout, on_behalf_of=user or None)


def _cmis(url: str, session: requests.Session, timeout: Timeout, settings: Settings | None) -> DocumentService:
    from .backends.cmis import CaseMapping, CmisService, DocumentMapping

    mapping = documents = None
    if settings is not None:  # which folders are cases, which of their properties say what, and a document's type
        try:
            mapping = CaseMapping.parse(folder=settings.text("service.cmis_case_folder"),
                                        number_property=settings.text("service.cmis_case_number_property"),
                                        case_type=settings.text("service.cmis_case_type"),
                                        properties=settings.text("service.cmis_case_properties"))
            documents = DocumentMapping.parse(settings.text("service.cmis_document_properties"))
        except ValueError as error:
            raise SettingsError(str(error)) from None
    return CmisService(url, session, timeout=timeout, mapping=mapping, documents=documents)


def _acadre(url: str, session: requests.Session, timeout: Timeout, settings: Settings | None) -> DocumentService:
    from .backends.acadre import AcadreService

    # PWS acts for the user caseclient knows at the service (service.caseworker, initials), if set.
    user = settings.text("service.caseworker") if settings is not None else ""
    return AcadreService(url, session, timeout=timeout, acting_user=user or None)


@dataclass(frozen=True, slots=True)
class BackendKind:
    """One kind of document service: how its backend is built, what people call the system, and
    the wire dialect of the embedded reference service that simulates it."""

    build: Callable[[str, requests.Session, Timeout, Settings | None], DocumentService]
    system: str
    dialect: str
    caseworker_by: str = "login"  # what names a caseworker at this kind of service: "login" or "uuid"


BACKENDS: dict[str, BackendKind] = {
    "oio": BackendKind(_oio, "OIO REST (LoRa)", "oio", caseworker_by="uuid"),
    "sbsys": BackendKind(_sbsys, "SBSYS", "sbsys"),
    "getorganized": BackendKind(_getorganized, "GetOrganized", "getorganized"),
    "nova": BackendKind(_nova, "KMD Nova", "nova", caseworker_by="uuid"),  # novaUserId
    "f2": BackendKind(_f2, "F2", "f2"),  # cBrain F2; Responsible's user name
    "workzone": BackendKind(_workzone, "KMD WorkZone", "workzone"),  # Officer_Value, the employee code
    "acadre": BackendKind(_acadre, "Formpipe Acadre", "acadre"),  # PWS SOAP; a user's Initials
    "cmis": BackendKind(_cmis, "CMIS", "cmis"),  # CMIS 1.1 repositories (Alfresco, Nuxeo); the caseworker property
}
"""Every kind of document service caseclient speaks (`service.kind`): the one table that knows them."""


def backend_kind(settings: Settings) -> BackendKind:
    """The kind of service the settings name; a SettingsError sentence for one caseclient does not know."""
    kind = settings.text("service.kind")
    if kind not in BACKENDS:
        raise SettingsError(f"The setting service.kind names {kind!r}, which caseclient does not speak; "
                            f"it speaks {', '.join(BACKENDS)}.")
    return BACKENDS[kind]


def system_name(settings: Settings) -> str:
    """What people call the system caseclient files into, e.g. "SBSYS" (for the status bar)."""
    kind = BACKENDS.get(settings.text("service.kind"))
    return kind.system if kind else settings.text("service.kind")


def embedded_caseworker(settings: Settings) -> str:
    """Who the user is on the embedded reference service: its first demo caseworker, named the
    way the configured kind of service names caseworkers (for My cases)."""
    from .server import CASEWORKERS

    worker = CASEWORKERS[0]
    return worker.uuid if backend_kind(settings).caseworker_by == "uuid" else worker.login


@contextmanager
def open_embedded_service(settings: Settings | None = None) -> Iterator[DocumentService]:
    """The configured kind's backend (default `oio`) on the embedded reference service speaking
    that kind's dialect, started in-process on a free loopback port with its data in the user's
    data folder (and demo cases the first time)."""
    from .server import ReferenceService

    kind = backend_kind(settings) if settings is not None else BACKENDS["oio"]
    embedded = ReferenceService(paths.reference_service_dir(), dialect=kind.dialect)
    embedded.seed_demo(EMBEDDED_DEMO_CASES)  # only the first time: a no-op once they exist
    try:
        url = embedded.start()
        yield _marked(kind.build(url, requests.Session(), EMBEDDED_TIMEOUT, settings), settings, embedded=True)
    finally:
        embedded.stop()


def load_command_line_settings(service_url: str | None, assignments: Sequence[str] = ()) -> Settings:
    """The layered settings with the command line on top: `--service URL` and `--set key=value`.
    A value locked by machine policy cannot be overridden (SettingsError)."""
    command_line: dict[str, str | None] = parse_assignments(list(assignments))
    if service_url is not None:  # --service wins over --set service.url=...; absent, it changes nothing
        command_line["service.url"] = service_url
    return load_settings(SettingsFiles.default(command_line))


def backend_for(settings: Settings, session: requests.Session) -> DocumentService:
    """The configured backend (service.kind, from BACKENDS) on service.url over `session`."""
    timeout = (settings.number("network.connect_timeout"), settings.number("network.read_timeout"))
    return _marked(backend_kind(settings).build(settings.text("service.url"), session, timeout, settings), settings)


def _marked(service: DocumentService, settings: Settings | None, *, embedded: bool = False) -> DocumentService:
    """The service, marked with the address its outbox items are recorded for (kind and URL)."""
    from .store.service_address import EMBEDDED, ServiceAddress, mark_service

    kind = settings.text("service.kind") if settings is not None else "oio"
    return mark_service(service, ServiceAddress(kind, EMBEDDED if embedded else settings.text("service.url")))


@contextmanager
def open_configured_service(
    settings: Settings, *, open_browser: Callable[[str], object] | None = None
) -> Iterator[DocumentService]:
    """The service the settings name, with their TLS, proxies, timeouts and sign-in (secrets from
    the system keyring; `open_browser` allows the OAuth2 sign-in in the browser); the embedded
    reference service when service.url is empty."""
    from .net import build_session

    if not settings.text("service.url"):
        with open_embedded_service(settings) as embedded:
            yield embedded
        return
    yield backend_for(settings, build_session(settings, open_browser=open_browser))
