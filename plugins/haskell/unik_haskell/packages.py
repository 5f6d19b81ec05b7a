"""GHC packages: checking the ones unik.toml lists, and turning GHC's "module
not found" into one line naming the Debian package to install."""

from __future__ import annotations

import re
import subprocess

from unik.api import UnikError

from .ghc import Ghc

# Modules of well-known Hackage packages (for the message when an import is
# not found), and packages whose Debian package is not libghc-<name>-dev.
MODULE_PACKAGES = {
    "Data.Aeson": "aeson", "Data.Vector": "vector", "Data.HashMap": "unordered-containers",
    "Data.HashSet": "unordered-containers", "Data.Hashable": "hashable",
    "System.Random": "random", "Test.QuickCheck": "QuickCheck",
    "Control.Concurrent.Async": "async", "Data.List.Split": "split",
    "Control.Parallel": "parallel", "Data.Attoparsec": "attoparsec",
    "Control.Lens": "lens", "Network.Socket": "network", "Data.Primitive": "primitive",
    "Data.Scientific": "scientific", "Codec.Compression.Zlib": "zlib",
    "Text.Megaparsec": "megaparsec", "Data.Yaml": "yaml", "Data.Default": "data-default",
    "Control.Monad.Random": "MonadRandom", "Data.Vector.Unboxed": "vector",
}
DEBIAN_PACKAGES = {"QuickCheck": "libghc-quickcheck2-dev"}

_PKG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*")
_NOT_FOUND = re.compile(r"Could not find module [‘'`]([^’']+)[’']")
_HIDDEN = re.compile(r"It is a member of the hidden package [‘'`]([^’']+)[’']")


def debian_package(pkg: str) -> str:
    return DEBIAN_PACKAGES.get(pkg, f"libghc-{pkg.lower()}-dev")


def check_packages(g: Ghc, packages: list[str]) -> None:
    """Each listed package must be installed; a missing one names its Debian package."""
    for pkg in packages:
        if not _PKG_NAME.fullmatch(pkg):
            raise UnikError(f"unik.toml [haskell]: '{pkg}' is not a package name")
        proc = subprocess.run([g.ghc_pkg, "--simple-output", "field", pkg, "id"],
                              capture_output=True, text=True)
        if proc.returncode != 0 or not proc.stdout.strip():
            raise UnikError(f"unik.toml [haskell]: package '{pkg}' is not installed: "
                            f"install it with `apt-get install -y {debian_package(pkg)}`")


def explain_ghc_error(msg: str) -> str | None:
    """One actionable line for a missing or hidden package, else None."""
    m = _HIDDEN.search(msg)
    if m:
        pkg = re.sub(r"-[0-9][0-9.]*$", "", m.group(1))
        return (f"module is in the hidden package '{pkg}': add it to `packages` in "
                f"unik.toml's [haskell] table")
    m = _NOT_FOUND.search(msg)
    if m:
        module = m.group(1)
        pkg = next((p for mod, p in MODULE_PACKAGES.items()
                    if module == mod or module.startswith(mod + ".")), None)
        if pkg is not None:
            return (f"module {module} is not installed: it is in package '{pkg}', "
                    f"install it with `apt-get install -y {debian_package(pkg)}`")
        return (f"module {module} is neither in the project nor in an installed package: "
                f"if it is from a Hackage package NAME, install `libghc-NAME-dev`")
    return None
