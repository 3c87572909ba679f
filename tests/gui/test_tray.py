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
