"""caseclient: file emails, letters and scans on their case in Danish document services."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("caseclient")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
