"""A plain web server given as the document service is named for what it is (issue 15, point 7):
"not a document service of kind K", not "found nothing" nor "try again later". A real web server
(Python's http.server over an empty folder, answering HTML 404 and 501 pages) on a free port."""

from __future__ import annotations

import functools
import http.server
import threading
import uuid
from collections.abc import Iterator

import pytest
from caseclient.backends.http import NotADocumentService, ServiceHttp, new_session
from caseclient.backends.protocol import CaseQuery
from caseclient.connection import BACKENDS
from caseclient.domain import NotFound


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture
def web_server(tmp_path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


# CMIS looks for its browser binding in several places and says so in a sentence of its own.
KINDS = [kind for kind in BACKENDS if kind != "cmis"]


@pytest.mark.parametrize("kind", KINDS)
def test_searching_a_plain_web_server_names_it_not_a_document_service_of_the_kind(web_server, kind):
    backend = BACKENDS[kind].build(web_server, new_session(), (5.0, 10.0), None)
    with pytest.raises(NotADocumentService) as raised:
        backend.search_cases(CaseQuery(text="bolig", limit=5))
    message = str(raised.value)
    assert f"not a document service of kind {kind}" in message, message
    assert "found nothing" not in message and "try again" not in message
    assert not raised.value.retryable


@pytest.mark.parametrize("kind", ["oio", "sbsys", "nova", "workzone"])
def test_looking_up_a_case_number_on_a_plain_web_server_says_so_too(web_server, kind):
    backend = BACKENDS[kind].build(web_server, new_session(), (5.0, 10.0), None)
    with pytest.raises(NotADocumentService, match=f"not a document service of kind {kind}"):
        backend.find_case_by_number("00.01.00-G01-1-24")


def test_a_real_services_not_found_is_still_not_found(reference_service):
    backend = BACKENDS["oio"].build(reference_service.url, new_session(), (5.0, 10.0), None)
    with pytest.raises(NotFound) as raised:
        backend.get_case(str(uuid.uuid4()))
    assert not isinstance(raised.value, NotADocumentService)


def test_a_web_page_where_json_was_expected_names_the_kind(web_server, tmp_path):
    (tmp_path / "index.html").write_text("<!DOCTYPE html><html><body>It works!</body></html>")
    http = ServiceHttp(web_server, service_name="SBSYS")
    response = http.request("GET", "/", action="reading the case statuses")
    with pytest.raises(NotADocumentService, match="not a document service of kind sbsys"):
        http.json(response, action="reading the case statuses")


def test_a_gateway_page_on_a_5xx_stays_a_transient_error(scripted_server):
    """A proxy's HTML 502 page in front of a real service is a passing fault, not a wrong address;
    so is a service's own JSON 404 a plain "not found"."""
    from caseclient.domain import Transient

    http = ServiceHttp(scripted_server.url)
    scripted_server.script.answer(502, "<html><body>Bad Gateway</body></html>")
    with pytest.raises(Transient):
        http.request("GET", "/x", action="searching cases")
    scripted_server.script.answer(404, {"message": "No sag with ID x found"})
    with pytest.raises(NotFound) as raised:
        http.request("GET", "/x", action="reading case x")
    assert not isinstance(raised.value, NotADocumentService)
