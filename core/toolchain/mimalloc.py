"""The guest's malloc: mimalloc, built from Debian's source package and cached.

musl's allocator (mallocng) favours small size and hardening over speed: a
malloc/free-heavy C program (binary trees, a hash table of strdup'ed keys)
runs 2-10x slower on it than on glibc's. mimalloc (Microsoft's allocator,
MIT licence, packaged by Debian) is as fast as glibc's or faster, returns
freed memory to the OS, and builds as one object (its src/static.c) that
defines malloc, free, calloc, realloc, posix_memalign, aligned_alloc,
malloc_usable_size and friends. The image linker puts it in an archive
searched before musl's libc.a, so those names resolve to mimalloc while
musl's own internal allocations (__libc_malloc) stay musl's, as musl's
documented malloc-replacement contract allows. The names that take a pointer
back (free, realloc, malloc_usable_size, …: WEAK) are made weak in its object:
the core's realloc.c defines them, grows large blocks in place and passes
every other pointer on to mimalloc. bench/libc.py has the numbers.

Its system calls (mmap, munmap, madvise, mprotect, getrandom) go through
musl into the core like everything else; the image linker's check that no
`syscall` instruction is present covers it too.

The source comes through toolchain/debsrc.py (apt-get source, private apt set-up).
Cache layout (under unik.cache.cache_root()):
    debian-src/mimalloc/    the downloaded and unpacked source package
    mimalloc/<key>/         libmimalloc.a (one object) and build.log
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..cache import cached_dir, files_key
from ..errors import UnikError
from ..image.checks import find_syscalls
from . import debsrc, flags, gcc
from .musl import Musl

PACKAGE = "mimalloc"
# Release build: no debug checks or statistics (MI_DEBUG=0 with NDEBUG), the
# override of the standard names on.
DEFINES = ("-DMI_MALLOC_OVERRIDE=1", "-DNDEBUG", "-DMI_DEBUG=0", "-DMI_SECURE=0",
           "-DUNIK_NO_ALIGNED_HINT")
RECIPE = "5"
# Three changes to the source, made at build time (each checked to apply):
# 1. mimalloc asks mmap for segments at hinted addresses from 2 TiB up, which a
#    process's kernel maps lazily; in the guest an address outside RAM means
#    page tables built for it (exits to the hypervisor on the runner), while a
#    plain mmap gets identity-mapped RAM. A define turns the hint off.
# 2. Segments of 8 MiB instead of 32 MiB (128 slices of 64 KiB, the slice count
#    of mimalloc's own 32-bit configuration): segments are aligned to their
#    size, which costs up to twice that in contiguous RAM, and a guest of a few
#    tens of MiB has no 64 MiB to give. Objects above 4 MiB get their own.
# 3. No decommit of free spans inside a segment (option allow_decommit off by
#    default): mimalloc decommits with madvise(MADV_DONTNEED), which in the
#    guest cannot give RAM back (the pages stay the segment's) and must zero
#    them — so it wrote, and made the host populate, megabytes the program
#    never touched (bench/libc.py's string building: a whole 8 MiB segment).
#    Empty segments are still unmapped, which does give their RAM back.
_HINT = "static mi_decl_cache_align _Atomic(uintptr_t)aligned_base;"
_SHIFT = "#define MI_SEGMENT_SHIFT                  "
_OPT = "    UNINIT, MI_OPTION"
PATCHES = {
    "src/os.c": (f"#if (MI_INTPTR_SIZE >= 8)\n{_HINT}",
                 f"#if (MI_INTPTR_SIZE >= 8) && !defined(UNIK_NO_ALIGNED_HINT)\n{_HINT}"),
    "include/mimalloc-types.h": (f"{_SHIFT}( 9 + MI_SEGMENT_SLICE_SHIFT)  // 32MiB",
                                 f"{_SHIFT}( 7 + MI_SEGMENT_SLICE_SHIFT)  // 8MiB (unik)"),
    "src/options.c": (f"{{ 1,{_OPT}(allow_decommit) }},", f"{{ 0,{_OPT}(allow_decommit) }},"),
}

# Made weak in mimalloc's object: the core defines them (core/native/libc/realloc.c:
# realloc grows large blocks in place) and passes every other pointer to mi_*.
WEAK = ("free", "cfree", "vfree", "realloc", "reallocarray", "reallocf", "reallocarr",
        "malloc_usable_size", "malloc_size")

Progress = Callable[[str], None]


def ensure_mimalloc(musl: Musl, progress: Progress | None = None) -> Path:
    """libmimalloc.a for the guest, built once per configuration."""
    say = progress or (lambda _m: None)
    src = debsrc.fetch(PACKAGE, say)
    assert src.tree is not None
    key = files_key([src.dsc], gcc.version(), RECIPE, *DEFINES, *WEAK,
                    repr(sorted(PATCHES.items())), " ".join(flags.app_cflags(Path("M"))),
                    str(musl.prefix))
    d = cached_dir("mimalloc", key, lambda out: _build(src, musl, out, say))
    return d / "libmimalloc.a"


def _build(src: debsrc.DebianSource, musl: Musl, out: Path, say: Progress) -> None:
    say(f"building the guest's malloc (mimalloc {src.upstream}, once)")
    assert src.tree is not None
    log = out / "build.log"
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out.parent) as work:
        tree = Path(work) / "mimalloc"
        shutil.copytree(src.tree, tree)         # the unpacked source is shared: copy
        for rel, (old, new) in PATCHES.items():
            text = (tree / rel).read_text()
            if old not in text:
                raise UnikError(f"mimalloc {src.version}: {rel} is not the one unik knows how "
                                "to adapt; update PATCHES in core/toolchain/mimalloc.py")
            (tree / rel).write_text(text.replace(old, new))
        obj = Path(work) / "mimalloc.o"
        debsrc.run_step([gcc.gcc(), *flags.app_cflags(musl.include), *DEFINES,
                         "-I", str(tree / "include"), "-c", str(tree / "src" / "static.c"),
                         "-o", str(obj)], what="compiling mimalloc", log=log)
        found = find_syscalls(obj)
        if found:
            raise UnikError(f"mimalloc's object holds `syscall` instructions ({found[0]}); "
                            "the guest cannot use it")
        debsrc.run_step([gcc.tool("objcopy"), *(f"--weaken-symbol={n}" for n in WEAK), str(obj)],
                        what="weakening mimalloc's realloc family", log=log)
        debsrc.run_step([gcc.tool("ar"), "rcs", str(out / "libmimalloc.a"), str(obj)],
                        what="archiving mimalloc", log=log)
