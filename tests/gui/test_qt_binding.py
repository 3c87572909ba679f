"""The Qt binding keeps Python's reference counts straight where caseclient's models rely on it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt


class _Blank(QAbstractListModel):
    def rowCount(self, parent=QModelIndex()) -> int:
        return 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None  # what every model answers for roles it does not fill


def test_answering_none_from_data_does_not_drop_references_to_none():
    # PySide6 6.12.0 dropped one reference to None per such answer, and the app crashed with
    # "deallocating None" after a few thousand (pyproject.toml keeps it out).
    model = _Blank()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(200):
        index.data(Qt.ItemDataRole.DecorationRole)
    assert sys.getrefcount(None) - before >= 0
