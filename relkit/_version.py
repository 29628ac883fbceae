"""relkit's version, read from the installed package's metadata."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("relkit")
except PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+local"
