"""The case tree model, checked by pytest-qt's model tester while it changes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QMimeData, QModelIndex, QUrl, Qt

from caseclient.domain import Case, DocumentRef
from caseclient.gui.case_tree_model import CASE_ROLE, KIND_ROLE, CaseTreeModel, Group


def _case(n: int, kle: str = "27.24.00") -> Case:
    return Case(id=f"id-{n}", number=f"{kle}-G01-{n}-24", title=f"Sag {n} om æblehaven", kle=kle)


def _doc(n: int, case_id: str) -> DocumentRef:
    return DocumentRef(id=f"doc-{n}", case_id=case_id, title=f"Brev {n}", document_date=date(2024, 1, n))


def test_model_stays_consistent_through_every_change(qtmodeltester):
    model = CaseTreeModel()
    qtmodeltester.check(model, force_py=True)
    model.set_cases(Group.MINE, [_case(1), _case(2)])
    model.set_cases(Group.SEARCH, [_case(1), _case(3, "02.00.05"), _case(4, "27.12.00"), Case("x", "X-1", "Ingen KLE")])
    model.set_documents("id-1", [_doc(1, "id-1"), _doc(2, "id-1")])
    model.set_documents("id-3", [])
    model.forget_documents("id-1")
    model.set_cases(Group.SEARCH, [])
    model.set_cases(Group.FAVOURITES, [_case(2)])
    qtmodeltester.check(model, force_py=True)


def test_search_results_are_grouped_by_kle_main_group():
    model = CaseTreeModel()
    model.set_cases(Group.SEARCH, [_case(1), _case(3, "02.00.05"), _case(4, "27.12.00")])
    search = model.group_index(Group.SEARCH)
    labels = [model.index(r, 0, search).data() for r in range(model.rowCount(search))]
    assert labels == ["02 Byggeri", "27 Social service"]
    social = model.index(1, 0, search)
    assert model.rowCount(social) == 2
    assert {model.index(r, 0, social).data(CASE_ROLE).id for r in range(2)} == {"id-1", "id-4"}
    assert search.data().endswith("(3)")


def test_documents_are_fetched_lazily_once_for_every_node_of_the_case(qtbot):
    model = CaseTreeModel()
    model.set_cases(Group.MINE, [_case(1)])
    model.set_cases(Group.RECENT, [_case(1)])
    mine_case = model.index(0, 0, model.group_index(Group.MINE))
    recent_case = model.index(0, 0, model.group_index(Group.RECENT))
    assert model.hasChildren(mine_case) and model.canFetchMore(mine_case)
    with qtbot.waitSignal(model.documents_requested) as asked:
        model.fetchMore(mine_case)
    assert asked.args == ["id-1"]
    assert not model.canFetchMore(recent_case)  # already on its way
    model.set_documents("id-1", [_doc(1, "id-1")])
    assert model.rowCount(mine_case) == model.rowCount(recent_case) == 1
    assert model.index(0, 0, recent_case).data(KIND_ROLE) == "document"


def test_a_case_without_documents_says_so():
    model = CaseTreeModel()
    model.set_cases(Group.MINE, [_case(1)])
    case_index = model.index(0, 0, model.group_index(Group.MINE))
    model.set_documents("id-1", [])
    note = model.index(0, 0, case_index)
    assert note.data() == "No documents"
    assert not (model.flags(note) & Qt.ItemFlag.ItemIsSelectable)


def test_drop_on_a_case_or_its_document_is_a_copy_onto_that_case(qtbot):
    model = CaseTreeModel()
    model.set_cases(Group.MINE, [_case(1)])
    case_index = model.index(0, 0, model.group_index(Group.MINE))
    model.set_documents("id-1", [_doc(1, "id-1")])
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile("/tmp/brev.pdf")])
    assert model.supportedDropActions() == Qt.DropAction.CopyAction
    assert model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, 0, case_index)
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, 0, model.group_index(Group.MINE))
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, 0, 0, case_index)  # between rows
    assert not model.canDropMimeData(QMimeData(), Qt.DropAction.CopyAction, -1, 0, case_index)
    with qtbot.waitSignal(model.case_dropped) as dropped:
        assert model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, model.index(0, 0, case_index))
    assert dropped.args[0].id == "id-1"
    assert not model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
