"""Background filing: the outbox worker, its retry policy, the duplicate guard and the prompts it
needs. Qt-free: the GUI wraps it in a service that turns the callbacks into signals."""

from .clock import Clock, ManualClock, SystemClock
from .duplicates import DuplicateGuard, PriorFiling
from .enqueue import AlreadyFiled, file_to_case
from .prompts import FilingPrompts, NoPrompts
from .retry import RetryPolicy
from .worker import FilingEvents, OutboxWorker, QueueBusy, UploadAborted

__all__ = [
    "AlreadyFiled", "Clock", "DuplicateGuard", "FilingEvents", "FilingPrompts", "ManualClock", "NoPrompts",
    "OutboxWorker", "PriorFiling", "QueueBusy", "RetryPolicy", "SystemClock", "UploadAborted", "file_to_case",
]
