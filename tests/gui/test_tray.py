"""The tray's pause action: the user's clicks pause and resume filing; showing the queue's state
does not answer it (an auth pause must stay an auth pause)."""

from __future__ import annotations

from caseclient.gui.tray import Tray


def test_showing_the_queue_state_is_not_taken_for_a_click(qapp):
    tray = Tray()
    toggled: list[bool] = []
    tray.pause_toggled.connect(toggled.append)
    tray.show_paused(True)
    assert tray.pause_action.isChecked() and toggled == []
    tray.pause_action.trigger()  # the user resumes
    assert toggled == [False]


def test_a_click_on_the_notice_of_a_filing_in_its_undo_window_undoes_it(qtbot):
    tray = Tray()
    tray.notify("Sendes om 10 s", "Brev på 27.24.00-G01-1-24. Klik for at fortryde.", case_id="case-1", undo=True)
    with qtbot.waitSignal(tray.undo_requested, timeout=1000):
        tray.icon.messageClicked.emit()
    tray.notify("Journaliseret", "Brev er journaliseret på 27.24.00-G01-1-24", case_id="case-1")
    with qtbot.assertNotEmitted(tray.undo_requested), qtbot.waitSignal(tray.case_requested, timeout=1000):
        tray.icon.messageClicked.emit()  # a later notice's click opens the case, it does not undo
    tray.show_undoable(2)
    assert tray.undo_action.isEnabled() and tray.undo_action in tray.menu.actions()
    tray.show_undoable(0)
    assert not tray.undo_action.isEnabled()
