"""A throw-away third-party language plugin for the compare tests, written to
a directory as its own package (and, for the CLI, with the dist-info that
makes it an installed entry point). Its "language" is C under another name,
built with only the public API; its benchmark programs misbehave on purpose."""

from __future__ import annotations

import textwrap
from pathlib import Path

PLUGIN = '''
"""unik-fakelang: a language plugin made by tests/compare."""
import sys
from pathlib import Path

from unik.api import BuildContext, BuildResult, Language, UnikError, hookimpl

HERE = Path(__file__).resolve().parent


class Fake(Language):
    name = "fakelang"
    description = "C under another name, for tests"
    extensions = (".fk",)

    def build(self, ctx: BuildContext) -> BuildResult:
        objs = []
        for src in sorted(ctx.project_dir.glob("*.fk")):
            obj = ctx.build_dir / (src.stem + ".o")
            ctx.run([ctx.cc, *ctx.cflags, "-x", "c", "-c", str(src), "-o", str(obj)],
                    what=f"compiling {src.name}")
            objs.append(obj)
        return BuildResult(objects=objs)

    def benchmarks(self):
        return {p.name: p for p in sorted((HERE / "bench").iterdir()) if p.is_dir()}

    def native_build(self, project_dir, out_dir):
        if project_dir.name != "fib":
            return None
        return [sys.executable, "-c", "import sys; print(f'fib({sys.argv[1]}) = 2178309');"
                " print('compute_ns 7')"]


@hookimpl
def unik_register_languages(register):
    register(Fake())
'''

PROGRAMS = {
    "hello": 'int puts(const char *); int main(void) { puts("Hello, world!"); return 0; }',
    # the parameter arrives as argv[1]
    "fib": '''
        #include <stdio.h>
        int main(int argc, char **argv) {
            printf("fib(%s) = 2178309\\ncompute_ns 123\\n", argc > 1 ? argv[1] : "?");
            return 0;
        }''',
    "binarytrees": 'int puts(const char *); int main(void) { puts("wrong"); return 0; }',
    "hashmap": "int main(void) { this is not C }",
    "nbody": "int main(void) { for (;;) { __asm__ volatile(\"\"); } }",
    "strings": "int main(void) { return 3; }",
    "extra": "int main(void) { return 0; }",       # not one of unik compare's programs
}


def write(root: Path, *, dist_info: bool = False) -> Path:
    """The package unik_fakelang under root; root is what goes on sys.path."""
    pkg = root / "unik_fakelang"
    (pkg / "bench").mkdir(parents=True)
    (pkg / "__init__.py").write_text(PLUGIN)
    for name, src in PROGRAMS.items():
        d = pkg / "bench" / name
        d.mkdir()
        (d / "unik.toml").write_text(f'[project]\nname = "{name}"\nlang = "fakelang"\n')
        (d / "main.fk").write_text(textwrap.dedent(src).strip() + "\n")
    if dist_info:
        info = root / "unik_fakelang-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: unik-fakelang\n"
                                       "Version: 0.1\n")
        (info / "entry_points.txt").write_text("[unik]\nfakelang = unik_fakelang\n")
    return root
