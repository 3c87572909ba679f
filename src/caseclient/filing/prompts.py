"""What the filing machinery asks the user. The GUI implements this with dialogs, the CLI on the
terminal, tests with scripted answers. Both are called from worker threads and may block."""

from __future__ import annotations

from typing import Protocol

from .duplicates import PriorFiling


class FilingPrompts(Protocol):
    def confirm_duplicate(self, title: str, prior: PriorFiling) -> bool:
        """The document `title` is `prior.sentence`: file it again anyway?"""
        ...

    def ask_credentials(self, service_name: str, message: str) -> bool:
        """The service refused our credentials (`message`). Return True once new ones are in
        place (the queue then resumes), False to leave the queue paused."""
        ...


class NoPrompts:
    """For unattended runs: never files a duplicate, never has new credentials."""

    def confirm_duplicate(self, title: str, prior: PriorFiling) -> bool:
        return False

    def ask_credentials(self, service_name: str, message: str) -> bool:
        return False
