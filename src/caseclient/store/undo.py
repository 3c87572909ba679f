"""The undo window: a new outbox item waits a few seconds before its upload may start, and until
then the user can take it back ("Fortryd").

The window costs nothing new in the schema: :class:`~caseclient.store.outbox.Outbox` queues an item
due at ``created_at + undo_window_s`` (its ``next_attempt_at``, the column retries are scheduled
with), and the worker claims only due items. The item itself is on disk at once, so a shutdown or a
power cut inside the window loses nothing: after a restart it still waits, in its place, for the
rest of its window, and can still be undone.

Undo and the worker's claim are one UPDATE each under the database's write lock, so exactly one of
them wins: an undone item is never sent, and an item whose upload began cannot be undone (it is
then filed exactly once; moving a filed document is another story).
"""

from __future__ import annotations

from .outbox import Outbox, OutboxItem, OutboxStatus, UnknownItem

UNDONE = "undone"  # last_error_code of an item the user took back inside its window
UNDONE_MESSAGE = "Undone before it was sent: nothing was filed."


class TooLate(ValueError):
    """The item's upload has started (or it was never in a window): it can no longer be undone."""


def in_undo_window(item: OutboxItem, now: float) -> bool:
    """Queued, never attempted, and not yet due: its upload has not started and may not yet."""
    return item.status is OutboxStatus.QUEUED and item.attempts == 0 and item.next_attempt_at > now


def undo_seconds_left(item: OutboxItem, now: float) -> float:
    return max(0.0, item.next_attempt_at - now) if in_undo_window(item, now) else 0.0


def was_undone(item: OutboxItem) -> bool:
    return item.status is OutboxStatus.CANCELLED and item.last_error_code == UNDONE


def undo(outbox: Outbox, item_id: int) -> OutboxItem:
    """Take back an item inside its undo window: it becomes cancelled (code 'undone') and is never
    sent. Raises TooLate when its upload has started or its window is over, UnknownItem when
    there is no such item."""
    now = outbox.now()
    with outbox.db.write(durable=True) as conn:
        row = conn.execute(
            """UPDATE outbox_item SET status = 'cancelled', cancel_requested = 1, last_error_code = ?,
                   last_error = ?, finished_at = ?, updated_at = ?
               WHERE id = ? AND status = 'queued' AND attempts = 0 AND next_attempt_at > ? RETURNING *""",
            (UNDONE, UNDONE_MESSAGE, now, now, item_id, now),
        ).fetchone()
    if row is None:
        current = outbox.get(item_id)  # raises UnknownItem
        if was_undone(current):
            return current
        raise TooLate(f"{current.filename} can no longer be undone: its filing has begun or its window is over.")
    item = OutboxItem.from_row(row)
    outbox._changed(item.id)  # noqa: SLF001 (the store package's own listeners)
    return item


def undoable(outbox: Outbox) -> list[OutboxItem]:
    """The items still inside their undo window, earliest due first (after a restart too)."""
    now = outbox.now()
    with outbox.db.read() as conn:
        rows = conn.execute(
            """SELECT * FROM outbox_item WHERE status = 'queued' AND attempts = 0 AND next_attempt_at > ?
               ORDER BY next_attempt_at, id""",
            (now,),
        ).fetchall()
    return [OutboxItem.from_row(r) for r in rows]


__all__ = ["TooLate", "UNDONE", "UnknownItem", "in_undo_window", "undo", "undo_seconds_left", "undoable", "was_undone"]
