"""The cases page's layout: the tree beside the case details when the window is wide, above them
when it is narrow (a sidebar beside Outlook), switching as the window is resized."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QBoxLayout, QSplitter, QWidget

NARROW_BELOW = 720  # logical pixels: below this the details go under the tree


class CaseSplitter(QSplitter):
    def __init__(self, tree: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("caseSplitter")
        self.setChildrenCollapsible(False)
        self.addWidget(tree)
        self.pane: QWidget | None = None

    def set_pane(self, pane: QWidget) -> None:
        self.pane = pane
        self.addWidget(pane)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self._follow_width(self.width())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._follow_width(event.size().width())
        super().resizeEvent(event)

    def _follow_width(self, width: int) -> None:
        wanted = Qt.Orientation.Vertical if width < NARROW_BELOW else Qt.Orientation.Horizontal
        if self.pane is not None and wanted != self.orientation():
            self.setOrientation(wanted)
            total = max(1, width if wanted == Qt.Orientation.Horizontal else self.height())
            self.setSizes([total * 2 // 5, total * 3 // 5] if wanted == Qt.Orientation.Horizontal
                          else [total // 2, total // 2])


class ButtonRow(QWidget):
    """Buttons side by side, stacked one above the other when the width does not hold them side by
    side: a row of buttons never makes a window wider than a 400 px sidebar."""

    def __init__(self, left: list[QWidget], right: list[QWidget] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons = [*left, *right]
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        for button in left:
            self._box.addWidget(button)
        self._box.addStretch(1)
        for button in right:
            self._box.addWidget(button)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _side_by_side_width(self) -> int:
        spacing = max(0, self._box.spacing())
        return sum(b.sizeHint().width() for b in self._buttons) + spacing * (len(self._buttons) - 1)

    def _stacked(self, width: int) -> bool:
        return width < self._side_by_side_width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = max((b.minimumSizeHint().width() for b in self._buttons), default=0)
        return QSize(width, max((b.sizeHint().height() for b in self._buttons), default=0))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._side_by_side_width(), self.minimumSizeHint().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        heights = [b.sizeHint().height() for b in self._buttons]
        if not self._stacked(width):
            return max(heights, default=0)
        return sum(heights) + max(0, self._box.spacing()) * (len(heights) - 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        stacked = self._stacked(event.size().width())
        wanted = QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight
        if self._box.direction() != wanted:
            self._box.setDirection(wanted)
            self.updateGeometry()
        super().resizeEvent(event)
