"""The case tree: My cases, Favourites, Recent and search results grouped by KLE main group.

A case node expands to its documents, fetched lazily: the model asks for them through the
`documents_requested` signal and the owner answers with `set_documents`. A case can stand in
several groups at once; every node for it gets the documents.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from ..domain import Case, DocumentRef
from ..domain.kle import kle_main_group_title

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_ROLE = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex


class NodeKind(str, enum.Enum):
    ROOT = "root"
    GROUP = "group"
    KLE_GROUP = "kle_group"
    CASE = "case"
    DOCUMENT = "document"
    NOTE = "note"  # "no documents", "loading ..."


class Group(str, enum.Enum):
    MINE = "mine"
    FAVOURITES = "favourites"
    RECENT = "recent"
    SEARCH = "search"


@dataclass(eq=False)
class Node:
    kind: NodeKind
    label: str
    parent: "Node | None" = None
    case: Case | None = None
    document: DocumentRef | None = None
    group: Group | None = None
    children: list["Node"] = field(default_factory=list)
    documents_state: str = "unloaded"  # unloaded, loading, loaded (case nodes only)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class CaseTreeModel(QAbstractItemModel):
    documents_requested = Signal(str)  # case id
    case_dropped = Signal(object, object)  # Case, QMimeData (read it before returning from the slot)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = Node(NodeKind.ROOT, "")
        titles = {
            Group.MINE: self.tr("My cases"),
            Group.FAVOURITES: self.tr("Favourites"),
            Group.RECENT: self.tr("Recent"),
            Group.SEARCH: self.tr("Search results"),
        }
        for group, title in titles.items():
            self._root.children.append(Node(NodeKind.GROUP, title, parent=self._root, group=group))
        self._accepted_drop_formats: list[str] = ["text/uri-list"]

    # -- filling ---------------------------------------------------------------------------------

    def group_index(self, group: Group) -> QModelIndex:
        node = self._group_node(group)
        return self.createIndex(node.row(), 0, node)

    def set_cases(self, group: Group, cases: list[Case]) -> None:
        """Replace a group's cases; search results are grouped by KLE main group."""
        node = self._group_node(group)
        parent = self.group_index(group)
        self._clear_children(node, parent)
        if not cases:
            return
        if group is Group.SEARCH:
            new_children = self._by_kle_main_group(node, cases)
        else:
            new_children = [self._case_node(node, c) for c in cases]
        self.beginInsertRows(parent, 0, len(new_children) - 1)
        node.children.extend(new_children)
        self.endInsertRows()

    def is_favourite(self, case_id: str) -> bool:
        return any(n.case and n.case.id == case_id for n in self._group_node(Group.FAVOURITES).children)

    def case_index(self, case_id: str) -> QModelIndex:
        """A node of the case (it may stand in several groups), or an invalid index."""
        for node in self._case_nodes(case_id):
            return self.createIndex(node.row(), 0, node)
        return QModelIndex()

    def set_documents(self, case_id: str, documents: list[DocumentRef]) -> None:
        for case_node in self._case_nodes(case_id):
            index = self.createIndex(case_node.row(), 0, case_node)
            self._clear_children(case_node, index)
            rows = [Node(NodeKind.DOCUMENT, d.title, parent=case_node, document=d) for d in documents]
            if not rows:
                rows = [Node(NodeKind.NOTE, self.tr("No documents"), parent=case_node)]
            self.beginInsertRows(index, 0, len(rows) - 1)
            case_node.children.extend(rows)
            case_node.documents_state = "loaded"
            self.endInsertRows()

    def forget_documents(self, case_id: str) -> None:
        """Mark a case's documents stale (after filing on it): they are fetched again on expand."""
        for case_node in self._case_nodes(case_id):
            self._clear_children(case_node, self.createIndex(case_node.row(), 0, case_node))
            case_node.documents_state = "unloaded"

    def set_accepted_drop_formats(self, formats: list[str]) -> None:
        self._accepted_drop_formats = list(formats)

    # -- QAbstractItemModel ----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:
        node = self._node(parent)
        if node.kind is NodeKind.CASE:
            return node.documents_state != "loaded" or bool(node.children)
        return bool(node.children)

    def canFetchMore(self, parent: _Index) -> bool:
        node = self._node(parent)
        return node.kind is NodeKind.CASE and node.documents_state == "unloaded"

    def fetchMore(self, parent: _Index) -> None:
        node = self._node(parent)
        if node.kind is NodeKind.CASE and node.documents_state == "unloaded" and node.case:
            for same in self._case_nodes(node.case.id):
                same.documents_state = "loading"
            self.documents_requested.emit(node.case.id)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            if node.kind is NodeKind.GROUP:
                return f"{node.label} ({self._count_cases(node)})" if node.children else node.label
            return node.label
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if node.case:
                return f"{node.case.number} {node.case.title}"
            if node.document:
                return node.document.filename or node.document.title
            return node.label
        if role == CASE_ROLE:
            return node.case
        if role == DOCUMENT_ROLE:
            return node.document
        if role == KIND_ROLE:
            return node.kind.value
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        node: Node = index.internalPointer()
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if node.kind is NodeKind.CASE:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        if node.kind is NodeKind.NOTE:
            flags &= ~Qt.ItemFlag.ItemIsSelectable
        return flags

    def mimeTypes(self) -> list[str]:
        return list(self._accepted_drop_formats)

    def supportedDropActions(self) -> Qt.DropAction:
        # Always a copy: a move makes Outlook delete the mail it gave us.
        return Qt.DropAction.CopyAction

    def canDropMimeData(self, data: QMimeData, action, row: int, column: int, parent: _Index) -> bool:
        return self._drop_case(row, parent) is not None and any(data.hasFormat(f) for f in self._accepted_drop_formats)

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent: _Index) -> bool:
        case = self._drop_case(row, parent)
        if case is None:
            return False
        self.case_dropped.emit(case, data)
        return True

    # -- helpers ---------------------------------------------------------------------------------

    def _clear_children(self, node: Node, index: QModelIndex) -> None:
        if node.children:
            self.beginRemoveRows(index, 0, len(node.children) - 1)
            node.children.clear()
            self.endRemoveRows()

    def _node(self, index: _Index) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    def _group_node(self, group: Group) -> Node:
        return next(n for n in self._root.children if n.group is group)

    def _case_node(self, parent: Node, case: Case) -> Node:
        return Node(NodeKind.CASE, f"{case.number}  {case.title}", parent=parent, case=case)

    def _by_kle_main_group(self, parent: Node, cases: list[Case]) -> list[Node]:
        groups: dict[str, Node] = {}
        for case in cases:
            key = case.kle_main_group or ""
            if key not in groups:
                title = kle_main_group_title(key) if key else None
                label = f"{key} {title}" if title else (key or self.tr("No KLE"))
                groups[key] = Node(NodeKind.KLE_GROUP, label, parent=parent)
            groups[key].children.append(self._case_node(groups[key], case))
        return [groups[k] for k in sorted(groups)]

    def _case_nodes(self, case_id: str) -> list[Node]:
        found: list[Node] = []
        stack = list(self._root.children)
        while stack:
            node = stack.pop()
            if node.kind is NodeKind.CASE:
                if node.case and node.case.id == case_id:
                    found.append(node)
            else:
                stack.extend(node.children)
        return found

    def _count_cases(self, node: Node) -> int:
        return sum(1 if c.kind is NodeKind.CASE else self._count_cases(c) for c in node.children)

    def _drop_case(self, row: int, parent: _Index) -> Case | None:
        # Dropping "on" an item gives row == -1 and the item as parent; between rows is no target.
        if row != -1 or not parent.isValid():
            return None
        node: Node = parent.internalPointer()
        if node.kind is NodeKind.DOCUMENT and node.parent:
            node = node.parent
        return node.case if node.kind is NodeKind.CASE else None
