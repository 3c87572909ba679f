"""Filing through a bad server: injected 500s, dropped connections and latency; expired tokens."""

from __future__ import annotations

import os
import random
import threading
from datetime import date

import requests

from caseclient.backends.oio import OioService
from caseclient.domain import DocumentMetadata
from caseclient.filing import DuplicateGuard, RetryPolicy, file_to_case
from caseclient.server import FaultConfig
from caseclient.store import OutboxStatus, PauseReason

WAIT = 240.0


def _meta(n: int) -> DocumentMetadata:
    return DocumentMetadata(title=f"Dokument {n}", document_date=date(2024, 5, 1))


def _queue(filing, cases, count: int, size: int = 3000) -> list:
    return [
        file_to_case(filing.outbox, filing.guard, filing.prompts, cases[n % len(cases)],
                     filing.document(f"d{n}.pdf", os.urandom(size + n)), _meta(n))
        for n in range(count)
    ]


def _assert_each_filed_exactly_once(filing, backend: OioService, items) -> None:
    on_server: dict[str, list[str]] = {}
    for case_id in {i.case_id for i in items}:
        for ref in backend.list_documents(case_id):
            on_server.setdefault(ref.extra.get("sha256", "?"), []).append(ref.id)
    for item in items:
        done = filing.outbox.get(item.id)
        assert done.status is OutboxStatus.DONE, (done.status, done.last_error)
        assert on_server.get(item.sha256) == [done.document_id]


def test_faults_file_everything_exactly_once_and_nothing_done_is_missing(live_filing, cases, reference_service) -> None:
    filing = live_filing
    items = _queue(filing, cases, 24)
    done_not_on_server: list[int] = []
    checker = OioService(reference_service.url)  # asks the server itself, faults or not

    def verify_done(item) -> None:
        if item.status is OutboxStatus.DONE and item.document_id not in {
            r.id for r in _faultless(reference_service, lambda: checker.list_documents(item.case_id))
        }:
            done_not_on_server.append(item.id)

    reference_service.faults = FaultConfig(error_rate=0.3, drop_rate=0.1, latency_rate=0.1, latency_seconds=2.0,
                                           seed=11)
    worker = filing.worker(parallelism=12, policy=RetryPolicy(base=0.05, cap=0.5, floor=0.01, rng=random.Random(5)))
    worker.start()
    try:
        assert worker.wait_until(lambda: filing.outbox.counts()[OutboxStatus.DONE] == len(items), WAIT), \
            filing.outbox.counts()
    finally:
        reference_service.faults = FaultConfig()
    attempts = sum(filing.outbox.get(i.id).attempts for i in items)
    assert attempts > len(items)  # the faults did bite
    for item in items:
        verify_done(filing.outbox.get(item.id))
    assert done_not_on_server == []
    _assert_each_filed_exactly_once(filing, checker, items)
    assert filing.outbox.counts()[OutboxStatus.FAILED] == 0


_fault_lock = threading.Lock()


def _faultless(reference_service, call):
    with _fault_lock:
        saved = reference_service.faults
        reference_service.faults = FaultConfig()
        try:
            return call()
        finally:
            reference_service.faults = saved


class TokenGate:
    """An authenticating proxy in front of the service: 401 unless the current bearer token is sent."""

    def __init__(self, app, token: str) -> None:
        self.app = app
        self.token = token

    def __call__(self, environ, start_response):
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}":
            start_response("401 UNAUTHORIZED", [("Content-Type", "application/json"), ("WWW-Authenticate", "Bearer")])
            return [b'{"message": "The token has expired."}']
        return self.app(environ, start_response)


def test_expired_credentials_pause_the_queue_fail_nothing_and_resume_with_new_ones(
    filing, cases, reference_service
) -> None:
    gate = TokenGate(reference_service.app.wsgi_app, "token-1")
    reference_service.app.wsgi_app = gate
    session = requests.Session()
    session.headers["Authorization"] = "Bearer token-1"
    filing.backend = OioService(reference_service.url, session)
    filing.guard = DuplicateGuard(filing.ledger, filing.outbox, filing.backend)
    items = _queue(filing, cases, 12)

    asked, answer = threading.Event(), threading.Event()

    def sign_in_again() -> bool:
        asked.set()
        assert answer.wait(WAIT)
        session.headers["Authorization"] = "Bearer token-2"
        return True

    filing.prompts.on_credentials = sign_in_again
    gate.token = "token-2"  # every token issued so far has expired
    worker = filing.worker(parallelism=3)
    worker.start()
    assert asked.wait(WAIT)
    assert worker.wait_until(lambda: filing.outbox.counts()[OutboxStatus.UPLOADING] == 0, WAIT)
    state = filing.outbox.queue_state()
    assert (state.paused, state.reason) == (True, PauseReason.AUTH)
    counts = filing.outbox.counts()
    assert counts[OutboxStatus.FAILED] == 0 and counts[OutboxStatus.QUEUED] == len(items)
    assert all(i.last_error_code == "auth" for i in filing.outbox.items() if i.attempts)
    assert filing.outbox.claim_next() is None  # paused: nothing is taken
    assert len(filing.prompts.credential_questions) == 1  # one question, however many uploads hit it
    assert "check the login" in filing.prompts.credential_questions[0][1]
    answer.set()
    assert worker.wait_until(lambda: filing.outbox.counts()[OutboxStatus.DONE] == len(items), WAIT)
    assert filing.outbox.queue_state().paused is False
    _assert_each_filed_exactly_once(filing, filing.backend, items)
