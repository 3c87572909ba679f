"""The real PWS contract, read from the reference folder (never copied into the repository).

`AcadreServiceV7.asmx` serves its WSDL as ASMX does: `?wsdl` is the root document (ports and
addresses), `?wsdl=wsdl1` and `?wsdl=wsdl2` the two port-type documents, `?schema=schemaN` the
schemas, `?disco` the discovery document. ASMX writes the address the request came to into each of
them; the reference copy names the host it was taken from (REFERENCE_ADDRESS), which is replaced.

The simulator reads and writes every message through zeep's model of the same WSDL, so a request
missing what the contract requires, or an answer the contract would not allow, shows up here.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from ...domain import CaseclientError

ASMX_PATH = "Acadre.CM.PublicServices/SoapAuth/AcadreServiceV7.asmx"
REFERENCE_ADDRESS = "http://esdhtest2/acadre/" + ASMX_PATH
ENV = "CASECLIENT_ACADRE_CONTRACT"  # a folder holding the WSDL/XSD set, instead of the default
# ../shared/reference/acadre-pws-v7 beside the repository (as the tests find ../shared/samples)
DEFAULT = Path(__file__).resolve().parents[4].parent / "shared" / "reference" / "acadre-pws-v7"
ROOT_WSDL = "AcadreServiceV71.wsdl"
DOCUMENTS = {"wsdl": ROOT_WSDL, "wsdl=wsdl1": "AcadreServiceV7.wsdl", "wsdl=wsdl2": "AcadreServiceV70.wsdl",
             "disco": "AcadreServiceV7.disco"}
_SCHEMA = re.compile(r"^schema=(schema\d{1,2})$")


class ContractMissing(CaseclientError):
    """The WSDL/XSD set is not where the simulator looks for it (one sentence for the command line)."""

    code = "acadre_contract_missing"


def folder() -> Path:
    place = Path(os.environ.get(ENV) or DEFAULT)
    if not (place / ROOT_WSDL).is_file():
        raise ContractMissing(
            f"The Acadre simulator needs the PWS WSDL and schemas in {place} (set {ENV} to the folder "
            "that holds AcadreServiceV71.wsdl); it does not ship a copy of the vendor's contract.")
    return place


def document_name(query: str) -> str | None:
    """The reference file a `?wsdl...`/`?schema=...`/`?disco` query asks for, or None."""
    query = query.strip()
    if query.lower() in DOCUMENTS:
        return DOCUMENTS[query.lower()]
    match = _SCHEMA.match(query)
    return f"{match.group(1)}.xsd" if match else None


def document(name: str, address: str) -> bytes | None:
    """A reference file with the service's own address written in, as ASMX writes it."""
    path = folder() / name
    if not path.is_file():
        return None
    return path.read_bytes().replace(REFERENCE_ADDRESS.encode(), address.encode())


@functools.lru_cache(maxsize=1)
def operations() -> dict[str, Any]:
    """Every operation of the V7 ports by name (zeep binding operations), from the reference files."""
    import zeep
    from zeep.transports import Transport

    place = folder()

    class _Files(Transport):
        def load(self, url: str) -> bytes:  # the documents' own links, answered from the folder
            name = document_name(url.partition("?")[2] or "wsdl")
            if name is None:
                raise ContractMissing(f"The PWS contract links to a document it does not hold ({url}).")
            return (place / name).read_bytes()

    client = zeep.Client(REFERENCE_ADDRESS + "?wsdl", transport=_Files())
    found: dict[str, Any] = {}
    for service in client.wsdl.services.values():
        for port in service.ports.values():
            if port.name.endswith("71"):
                continue  # the same operations again, bound for SOAP 1.2
            for name, operation in port.binding._operations.items():
                found.setdefault(name, operation)
    return found


@functools.lru_cache(maxsize=1)
def error_types() -> frozenset[str]:
    """The values of ErrorListEnum, from the schema that defines it."""
    from lxml import etree

    xs = "{http://www.w3.org/2001/XMLSchema}"
    for path in sorted(folder().glob("schema*.xsd")):
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
        for simple in root.iter(f"{xs}simpleType"):
            if simple.get("name") == "ErrorListEnum":
                return frozenset(e.get("value") for e in simple.iter(f"{xs}enumeration"))
    return frozenset()
