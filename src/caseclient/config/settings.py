"""The merged settings: each value with the layer it came from and, for policy values, its lock.

Weakest first: built-in defaults < organisation profile < machine policy (TOML file, then the
Windows policy registry, which wins over the file) < user settings < command line. A value set by machine policy is locked,
and so is a value the organisation profile lists in its `[locks]` table (machine policy may still
change that one): user settings cannot change it (their value is ignored) and the command line may
not try (that is an error, so a script never silently runs against a service it did not ask for).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from .. import paths
from .layers import (
    Layer,
    RegistryReader,
    SourceKind,
    WindowsRegistry,
    command_line_layer,
    file_layer,
    problem,
    registry_layer,
)
from .schema import BY_KEY, SETTINGS, InvalidValue

DEFAULT_LOCK_REASON = "set by your organisation's IT department"


@dataclass(frozen=True, slots=True)
class Lock:
    reason: str
    origin: str


@dataclass(frozen=True, slots=True)
class SettingValue:
    key: str
    value: object
    source: SourceKind
    origin: str  # the file, registry key or "the command line" the value came from
    lock: Lock | None = None

    @property
    def locked(self) -> bool:
        return self.lock is not None


@dataclass(frozen=True)
class Settings:
    """Read-only settings; `settings["service.url"]` is the value, `settings.entry(key)` the rest."""

    entries: Mapping[str, SettingValue]
    user_file: Path | None = None  # where the user's own changes are written

    def __getitem__(self, key: str) -> object:
        return self.entries[key].value

    def entry(self, key: str) -> SettingValue:
        return self.entries[key]

    def __iter__(self) -> Iterator[SettingValue]:
        return iter(self.entries.values())

    def text(self, key: str) -> str:
        value = self[key]
        assert isinstance(value, str), key
        return value

    def number(self, key: str) -> float:
        value = self[key]
        assert isinstance(value, (int, float)), key
        return float(value)


@dataclass(frozen=True)
class SettingsFiles:
    """Where each layer is read from. `default()` for the real machine; tests name their own."""

    organisation: Path | None = None
    policy: Path | None = None
    user: Path | None = None
    registry: RegistryReader | None = None
    command_line: Mapping[str, str | None] = field(default_factory=dict)

    @classmethod
    def default(cls, command_line: Mapping[str, str | None] | None = None) -> "SettingsFiles":
        return cls(
            organisation=organisation_profile_path(),
            policy=machine_policy_path(),
            user=user_settings_path(),
            registry=WindowsRegistry() if sys.platform == "win32" else None,
            command_line=dict(command_line or {}),
        )


def machine_policy_path() -> Path:
    """Not overridable from the environment: a user must not be able to swap the policy out."""
    if sys.platform == "win32":
        # the known folder (ProgramData) from the shell API, not the user's changeable environment
        return Path(platformdirs.site_config_dir(paths.APP, appauthor=False)) / "policy.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/caseclient/policy.toml")
    return Path("/etc/caseclient/policy.toml")


def organisation_profile_path() -> Path | None:
    """`CASECLIENT_PROFILE`, else the `briefcase.toml` the installer put beside the program: in
    the app folder that holds the caseclient package (where Briefcase's installers put it), or
    beside the executable."""
    override = os.environ.get("CASECLIENT_PROFILE")
    if override:
        return Path(override)
    app_folder = Path(__file__).resolve().parents[2]
    for folder in (app_folder, Path(sys.executable).resolve().parent):
        if (candidate := folder / "briefcase.toml").is_file():
            return candidate
    return None


def user_settings_path() -> Path:
    return paths.config_dir() / "settings.toml"


def load_settings(files: SettingsFiles) -> Settings:
    """All layers merged and checked, or one SettingsError sentence: never half a configuration."""
    layers: list[Layer] = []
    for kind, path in ((SourceKind.ORGANISATION, files.organisation), (SourceKind.POLICY, files.policy),
                       (SourceKind.USER, files.user)):
        if path is not None and (layer := file_layer(kind, path)) is not None:
            layers.append(layer)
        if kind is SourceKind.POLICY and files.registry is not None:
            if (reg := registry_layer(files.registry)) is not None:
                layers.append(reg)
    layers.append(command_line_layer(files.command_line))
    return Settings(merge(layers), files.user)


def merge(layers: list[Layer]) -> dict[str, SettingValue]:
    entries = {s.key: SettingValue(s.key, s.default, SourceKind.DEFAULT, "built-in") for s in SETTINGS}
    for layer in layers:
        for key, raw in layer.values.items():
            current = entries[key]
            if current.lock is not None and layer.kind is not SourceKind.POLICY:
                if layer.kind is SourceKind.COMMAND_LINE:
                    raise problem(layer.origin, key, f"is locked by {current.origin} ({current.lock.reason}) "
                                                     "and cannot be changed")
                continue  # a user file that predates the policy: the policy wins
            try:
                value = BY_KEY[key].parse(raw, layer.base_dir)
            except InvalidValue as exc:
                raise problem(layer.origin, key, str(exc)) from None
            lock = None
            if (layer.kind is SourceKind.POLICY and key not in layer.unlocked) or key in layer.locked:
                reason = layer.reasons.get(key) or layer.reasons.get("*") or DEFAULT_LOCK_REASON
                lock = Lock(reason, layer.origin)
            entries[key] = SettingValue(key, value, layer.kind, layer.origin, lock)
    _check_combination(entries)
    return entries


_AUTH_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    # each inner tuple: at least one of these keys must be set
    "basic": (("auth.username",),),
    "ntlm": (("auth.username",),),
    "oauth2_client_credentials": (("auth.client_id",), ("auth.token_url", "auth.oidc_issuer")),
    "oauth2_password": (("auth.username",), ("auth.client_id",), ("auth.token_url", "auth.oidc_issuer")),
    "oauth2_authorization_code": (
        ("auth.client_id",),
        ("auth.authorization_url", "auth.oidc_issuer"),
        ("auth.token_url", "auth.oidc_issuer"),
    ),
    "client_certificate": (("tls.client_certificate",),),
}


def _check_combination(entries: Mapping[str, SettingValue]) -> None:
    mode = entries["auth.mode"]
    for alternatives in _AUTH_NEEDS.get(str(mode.value), ()):
        if "auth.token_url" in alternatives and entries["service.kind"].value == "f2":
            continue  # F2 names its token endpoint in its service index
        if not any(entries[k].value for k in alternatives):
            needed = " or ".join(alternatives)
            raise problem(mode.origin, "auth.mode", f"is {mode.value}, which also needs {needed}, "
                                                    "and no settings file sets it")
    cert, key = entries["tls.client_certificate"], entries["tls.client_key"]
    if key.value and not cert.value:
        raise problem(key.origin, "tls.client_key", "is set, but tls.client_certificate is not")
    if key.value and str(cert.value).lower().endswith((".p12", ".pfx")):
        raise problem(key.origin, "tls.client_key", "must stay empty when the certificate is PKCS#12, "
                                                    "which holds its own key")
