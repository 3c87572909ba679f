"""The Group Policy templates (installers/windows): current, complete, and what they write to the
registry is what caseclient reads as locked machine policy."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from caseclient.config import AUTH_MODES, BY_KEY, POLICY_REGISTRY_KEY, SettingsFiles, SourceKind, load_settings
from caseclient.config.schema import LOG_LEVELS, InvalidValue
from reg_file import read_reg_file

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = ROOT / "installers" / "windows"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
LANGUAGES = ("en-US", "da-DK")


@pytest.fixture(scope="module")
def make_admx():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_admx
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return make_admx


@pytest.fixture(scope="module")
def policies() -> list[ET.Element]:
    return ET.parse(WINDOWS / "caseclient.admx").getroot().findall("p:policies/p:policy", NS)


def setting_of(policy: ET.Element) -> str | None:
    """The setting key a policy writes, from its registry key and value name."""
    (element,) = list(policy.find("p:elements", NS))
    key = policy.get("key")
    if key == POLICY_REGISTRY_KEY:
        return None  # the Reason value on the key itself
    assert key.startswith(POLICY_REGISTRY_KEY + "\\"), key
    return f"{key.rsplit(chr(92), 1)[1]}.{element.get('valueName')}"


def test_the_templates_are_current_with_the_schema(make_admx):
    stale = [str(path.relative_to(ROOT)) for path, text in make_admx.outputs().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run scripts/make_admx.py: {', '.join(stale)} differ from the settings schema"


def test_every_setting_has_one_policy_under_its_table_key(policies):
    keys = [setting_of(p) for p in policies]
    assert keys.count(None) == 1
    written = [k for k in keys if k is not None]
    assert sorted(written) == sorted(BY_KEY), "one policy per setting, no unknown ones"
    assert all(p.get("class") == "Machine" for p in policies)


def test_both_languages_define_every_string_and_presentation(policies):
    admx = (WINDOWS / "caseclient.admx").read_text(encoding="utf-8")
    wanted_strings = set(re.findall(r"\$\(string\.([A-Za-z0-9_]+)\)", admx))
    wanted_presentations = set(re.findall(r"\$\(presentation\.([A-Za-z0-9_]+)\)", admx))
    for language in LANGUAGES:
        root = ET.parse(WINDOWS / language / "caseclient.adml").getroot()
        strings = {s.get("id"): s.text for s in root.iterfind(".//p:stringTable/p:string", NS)}
        presentations = {p.get("id"): p for p in root.iterfind(".//p:presentationTable/p:presentation", NS)}
        assert set(strings) == wanted_strings, language
        assert all(text and text.strip() for text in strings.values()), language
        assert set(presentations) == wanted_presentations, language
        for policy in policies:
            (element,) = list(policy.find("p:elements", NS))
            shown = presentations[policy.get("presentation")[len("$(presentation."):-1]]
            assert [child.get("refId") for child in shown] == [element.get("id")], policy.get("name")


def test_choices_and_number_ranges_are_values_the_settings_accept(policies):
    checked = 0
    for policy in policies:
        key = setting_of(policy)
        (element,) = list(policy.find("p:elements", NS))
        if key is None:
            continue
        parse = BY_KEY[key].parse
        if element.tag.endswith("enum"):
            for value in element.iterfind("p:item/p:value/p:string", NS):
                parse(value.text, None)
                checked += 1
        elif element.tag.endswith("decimal"):
            low, high = int(element.get("minValue")), int(element.get("maxValue"))
            parse(low, None)
            parse(high, None)
            for outside in (low - 1, high + 1):
                with pytest.raises(InvalidValue):
                    parse(outside, None)
            checked += 1
    assert checked >= 10


def test_every_sign_in_method_and_log_level_is_offered(policies):
    offered = {setting_of(p): {v.text for v in p.iterfind(".//p:enum/p:item/p:value/p:string", NS)}
               for p in policies}
    assert offered["auth.mode"] == set(AUTH_MODES)
    assert offered["logging.level"] == set(LOG_LEVELS)


class PolicyRegistry:
    """HKLM as Group Policy leaves it: {subkey path: {value name: REG_SZ str | REG_DWORD int}}."""

    def __init__(self, keys: dict[str, dict[str, object]]) -> None:
        self.keys = keys

    def subkeys(self, path: str) -> list[str]:
        if path not in self.keys:
            raise FileNotFoundError(path)
        return [k[len(path) + 1:] for k in self.keys if k.startswith(path + "\\")]

    def values(self, path: str) -> dict[str, object]:
        if path not in self.keys:
            raise FileNotFoundError(path)
        return dict(self.keys[path])


def test_what_the_policies_write_is_read_as_locked_machine_policy(policies, tmp_path):
    """Enable every choice and number policy at its first item / lowest value, as gpedit would."""
    keys: dict[str, dict[str, object]] = {POLICY_REGISTRY_KEY: {"Reason": "Aarhus IT, ticket 7"}}
    expected: dict[str, object] = {}
    for policy in policies:
        (element,) = list(policy.find("p:elements", NS))
        if (key := setting_of(policy)) is None:
            continue
        if element.tag.endswith("enum"):
            raw: object = element.find("p:item/p:value/p:string", NS).text  # REG_SZ
        elif element.tag.endswith("decimal"):
            raw = int(element.get("minValue"))  # REG_DWORD
        else:
            continue
        keys.setdefault(policy.get("key"), {})[element.get("valueName")] = raw
        expected[key] = BY_KEY[key].parse(raw, None)
    files = SettingsFiles(policy=tmp_path / "absent.toml", user=tmp_path / "user.toml",
                          registry=PolicyRegistry(keys))
    settings = load_settings(files)
    for key, value in expected.items():
        entry = settings.entry(key)
        assert (entry.value, entry.source) == (value, SourceKind.POLICY), key
        assert entry.lock is not None and entry.lock.reason == "Aarhus IT, ticket 7", key


def test_the_reg_example_is_valid_locked_machine_policy(tmp_path):
    keys = read_reg_file(WINDOWS / "policy-example.reg")
    # Registry paths are case-insensitive; the file spells them as regedit exports them.
    policy = {POLICY_REGISTRY_KEY + path[len(POLICY_REGISTRY_KEY):]: values for path, values in keys.items()
              if path.lower().startswith(POLICY_REGISTRY_KEY.lower())}
    assert len(policy) == len(keys) == 5
    files = SettingsFiles(policy=tmp_path / "absent.toml", user=tmp_path / "user.toml",
                          registry=PolicyRegistry(policy))
    settings = load_settings(files)
    expected = {"service.kind": "oio", "service.url": "https://lora.aarhus.example.dk/", "auth.mode": "negotiate",
                "network.read_timeout": 180, "logging.level": "WARNING"}
    for key, value in expected.items():
        entry = settings.entry(key)
        assert (entry.value, entry.source) == (value, SourceKind.POLICY), key
        assert entry.lock is not None and entry.lock.reason.startswith("Aarhus Kommune IT"), key
    assert not settings.entry("network.connect_timeout").locked
