"""The up-to-date check, side by side in one run.

1. What hashing a single-module plugin costs: its folder (site-packages — the
   rule before plugins were hashed by their module file) vs the module file.
2. `unik build` when nothing changed (the whole up-to-date path: start-up,
   plugin loading, stamp, fingerprint), for C (no fingerprint) and OCaml
   (whose fingerprint asks ocamlfind for the OCaml installation).

    python bench/uptodate.py [--repeat 5]          → bench/results/uptodate.json
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median_ms, run_ok, table, timed, unik_cmd, write_json  # noqa: E402

from unik.cache import files_key  # noqa: E402
from unik.image.link import _tree  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    site = Path(sysconfig.get_paths()["purelib"])
    module = Path(__file__).resolve()      # stands for a one-module plugin in site-packages
    folder_files = _tree(site)
    folder = timed(lambda: files_key(_tree(site)), a.repeat)
    single = timed(lambda: files_key([module]), a.repeat)

    builds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("c", "ocaml"):
            run_ok([*unik_cmd(), "new", f"app-{lang}", "--lang", lang], cwd=tmp)
            app = Path(tmp) / f"app-{lang}"
            run_ok([*unik_cmd(), "build"], cwd=app)
            builds[lang] = median_ms(timed(lambda app=app: run_ok([*unik_cmd(), "build"],
                                                                  cwd=app), a.repeat))

    rows = [("hash", "median", "what"),
            ("plugin folder", f"{median_ms(folder):.1f} ms",
             f"site-packages: {len(folder_files)} files (the old rule)"),
            ("plugin module", f"{median_ms(single):.3f} ms", "the module file (the rule now)"),
            ("ratio", f"{median_ms(folder) / median_ms(single):.0f}x", "folder / module"),
            ("unik build, C", f"{builds['c']:.0f} ms", "up to date: the whole command"),
            ("unik build, OCaml", f"{builds['ocaml']:.0f} ms",
             "up to date, with the OCaml fingerprint")]
    print(table(rows))
    path = write_json("uptodate", {
        "site_packages_files": len(folder_files),
        "hash_folder_ms": median_ms(folder), "hash_module_ms": median_ms(single),
        "unik_build_up_to_date_ms": builds, "repeat": a.repeat})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
