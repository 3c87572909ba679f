"""Scan folder settings from TOML, and the observer each folder gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseclient.domain import Direction, InputError, Sensitivity
from caseclient.watch import AfterFiling, ObserverKind, RoutingRule, ScanFolder, load_scan_folders
from caseclient.watch.mounts import filesystem_type, is_network_folder
from caseclient.watch.observers import uses_polling


def test_folders_are_read_with_their_rules_and_defaults(tmp_path):
    file = tmp_path / "watch.toml"
    file.write_text(
        """
[[folder]]
path = "/srv/scan/borgerservice"
recursive = false
routing = ["cover_sheet", "file_name"]
after_filing = "delete"
failed = "/srv/scan/fejl"
observer = "polling"
document_type = "Brev"
sensitivity = "sensitive"
direction = "internal"

[[folder]]
path = "/srv/scan/post"
""",
        encoding="utf-8",
    )
    first, second = load_scan_folders(file)
    assert first.path == Path("/srv/scan/borgerservice") and not first.recursive
    assert first.routing == (RoutingRule.COVER_SHEET, RoutingRule.FILE_NAME)
    assert first.after_filing is AfterFiling.DELETE and first.observer is ObserverKind.POLLING
    assert first.failed_folder == Path("/srv/scan/fejl")
    assert first.done_folder == Path("/srv/scan/borgerservice/Done")
    assert first.defaults.document_type == "Brev" and first.defaults.sensitivity is Sensitivity.SENSITIVE
    assert first.defaults.direction is Direction.INTERNAL
    assert second.recursive and second.routing == (RoutingRule.FILE_NAME, RoutingRule.COVER_SHEET, RoutingRule.TEXT)
    assert second.defaults.direction is Direction.INCOMING


@pytest.mark.parametrize(
    "body, words",
    [
        ('[[folder]]\nrecursive = true\n', "'path' must name the folder"),
        ('[[folder]]\npath = "/x"\nrouting = ["qr"]\n', "'qr' is not a valid RoutingRule"),
        ('[[folder]]\npath = "/x"\nafter = "delete"\n', "unknown setting 'after'"),
        ('[[folder]]\npath = "/x"\nrecursive = "yes"\n', "'recursive' must be true or false"),
        ('[[folder]\npath = "/x"\n', "is not valid TOML"),
    ],
)
def test_a_bad_file_is_one_sentence_naming_it(tmp_path, body, words):
    file = tmp_path / "watch.toml"
    file.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_scan_folders(file)
    assert str(file) in raised.value.message and words in raised.value.message


def test_network_mounts_are_found_in_the_mount_table(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "//fileserver/scan /mnt/scan cifs rw,vers=3.0 0 0\n"
        "nas:/export /mnt/nfs\\040share nfs4 rw 0 0\n"
        "/dev/sdb1 /mnt/scan/local ext4 rw 0 0\n",
        encoding="utf-8",
    )
    assert filesystem_type(Path("/mnt/scan/borgerservice"), mounts) == "cifs"
    assert is_network_folder(Path("/mnt/nfs share/post"), mounts)
    assert not is_network_folder(Path("/mnt/scan/local/job"), mounts)  # the longest mount point wins
    assert not is_network_folder(Path("/home/user/scan"), mounts)


def test_auto_polls_network_folders_only_and_settings_win():
    def network(path: Path) -> bool:
        return str(path).startswith("/mnt/share")

    assert uses_polling(ScanFolder(Path("/mnt/share/scan")), network)
    assert not uses_polling(ScanFolder(Path("/srv/scan")), network)
    assert uses_polling(ScanFolder(Path("/srv/scan"), observer=ObserverKind.POLLING), network)
    assert not uses_polling(ScanFolder(Path("/mnt/share/scan"), observer=ObserverKind.NATIVE), network)


def test_this_machines_real_mount_table_is_readable():
    assert filesystem_type(Path("/")) is not None or not Path("/proc/mounts").exists()
