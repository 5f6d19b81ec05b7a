"""A Linux dom0 that boots unik images as Xen PV domUs through `xl create`.

Xen 4.17 nested in QEMU (TCG) boots Debian's Linux kernel as dom0 with an
initramfs made here: busybox, Xen's tools (xenstored, xenconsoled, xl) with
their libraries, the kernel modules xl needs (evtchn, gntdev, privcmd,
xenfs) and the images. Its /init starts the toolstack and, for each image,
runs `xl create -c` between two marker lines, then powers off. Everything
comes unpacked from Debian's packages into the cache by scripts/setup
(`$UNIK_CACHE/xen/dom0`); nothing is installed on the machine.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

TOOLS = ["usr/lib/xen-4.17/bin/xl", "usr/lib/xen-4.17/bin/xenstored",
         "usr/lib/xen-4.17/bin/xenconsoled", "usr/lib/xen-4.17/bin/xen-init-dom0",
         "usr/lib/xen-4.17/bin/xenconsole", "usr/bin/xenstore-read"]
MODULES = ["xen-evtchn", "xen-gntdev", "xen-privcmd", "xenfs"]
BEGIN, END = "=== unik domU {name} begin ===", "=== unik domU {name} end ==="

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/lib/xen-4.17/bin:/usr/bin
export LD_LIBRARY_PATH=/lib
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts /run/xen /run/xenstored /var/lib/xen /var/log/xen /var/lib/xenstored \
  /var/lock /etc/xen
: > /etc/xen/xl.conf
mount -t devpts devpts /dev/pts
for m in MODULES; do insmod /modules/$m.ko || echo "dom0: insmod $m failed"; done
mount -t xenfs xenfs /proc/xen
xenstored --pid-file /run/xenstored.pid || echo "dom0: xenstored failed"
xen-init-dom0 >/dev/null || echo "dom0: xen-init-dom0 failed"
xenconsoled --pid-file=/run/xenconsoled.pid || echo "dom0: xenconsoled failed"
for cfg in /guests/*.cfg; do
  name=$(basename $cfg .cfg)
  echo "=== unik domU $name begin ==="
  xl create -c $cfg 2>&1 | grep -v "^Parsing config" &
  i=0; st=""
  while [ $i -lt 300 ]; do
    st=$(xl list $name 2>/dev/null | tail -n +2 | awk '{print $5}')
    case "$st" in *s*|*c*) break;; esac
    sleep 0.2; i=$((i+1))
  done
  sleep 1
  kill %1 2>/dev/null; killall xenconsole 2>/dev/null
  echo "=== unik domU $name state: $st"
  key=/local/domain/$(xl domid $name 2>/dev/null)/data/unik/exit-status
  echo "=== unik domU $name xenstore exit-status: $(xenstore-read $key 2>&1)"
  xl destroy $name >/dev/null 2>&1
  echo "=== unik domU $name end ==="
done
echo "=== unik dom0 done ==="
poweroff -f
"""


def dom0_root(cache: Path) -> Path | None:
    root = cache / "xen" / "dom0"
    return root if list((root / "boot").glob("vmlinuz-*")) else None


def _cpio(files: dict[str, tuple[int, bytes]]) -> bytes:
    """An initramfs (newc cpio) of path → (mode, data); directories have data b""."""
    out = bytearray()
    ino = 1
    for name, (mode, data) in [*files.items(), ("TRAILER!!!", (0, b""))]:
        nm = name.encode() + b"\0"
        hdr = "070701" + "".join(f"{v:08x}" for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nm), 0))
        out += hdr.encode() + nm
        out += b"\0" * (-len(out) % 4)
        out += data
        out += b"\0" * (-len(out) % 4)
        ino += 1
    return bytes(out)


def _libraries(binaries: list[Path], root: Path) -> set[Path]:
    env = dict(os.environ, LD_LIBRARY_PATH=f"{root}/usr/lib/x86_64-linux-gnu")
    libs: set[Path] = set()
    for b in binaries:
        out = subprocess.run(["ldd", str(b)], capture_output=True, text=True, env=env).stdout
        libs |= {Path(m) for m in re.findall(r"=> (/\S+)", out)}
        libs |= {Path(m) for m in re.findall(r"^\s*(/lib64/\S+)", out, re.M)}
    return libs


def initramfs(root: Path, images: dict[str, Path], out: Path) -> Path:
    files: dict[str, tuple[int, bytes]] = {}

    def add_dir(path: str) -> None:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            files.setdefault("/".join(parts[:i]), (stat.S_IFDIR | 0o755, b""))

    def add_file(path: str, data: bytes, mode: int = 0o755) -> None:
        add_dir(str(Path(path).parent)) if "/" in path else None
        files[path] = (stat.S_IFREG | mode, data)

    for d in ("bin", "sbin", "lib", "lib64", "proc", "sys", "dev", "run", "var/run", "tmp",
              "etc", "modules", "guests"):
        add_dir(d)
    add_file("bin/busybox", (root / "bin/busybox").read_bytes())
    modules = "/".join(MODULES)
    add_file("init", INIT.replace("MODULES", modules.replace("/", " ")).encode())
    binaries = [root / t for t in TOOLS]
    for b in binaries:
        add_file(str(b.relative_to(root)), b.read_bytes())
    # dlopen()ed by glibc when xenconsole's threads are cancelled (not in ldd's list).
    libgcc = Path("/lib/x86_64-linux-gnu/libgcc_s.so.1")
    for lib in [*_libraries(binaries, root), *([libgcc] if libgcc.exists() else [])]:
        real = lib.resolve()
        dest = "lib64/" + lib.name if str(lib).startswith("/lib64") else "lib/" + lib.name
        add_file(dest, real.read_bytes())
    kmods = next((root / "lib" / "modules").iterdir()) / "kernel" / "drivers" / "xen"
    for m in MODULES:
        found = next(kmods.rglob(f"{m}.ko*"))
        data = found.read_bytes()
        if found.suffix == ".xz":
            import lzma
            data = lzma.decompress(data)
        add_file(f"modules/{m}.ko", data, 0o644)
    for name, image in images.items():
        add_file(f"guests/{name}.unik", image.read_bytes(), 0o644)
        kind = "pvh" if name.endswith("_pvh") else "pv"
        cfg = (f'name = "{name}"\ntype = "{kind}"\nkernel = "/guests/{name}.unik"\n'
               f'memory = 32\nvcpus = 1\non_crash = "preserve"\non_poweroff = "preserve"\n')
        add_file(f"guests/{name}.cfg", cfg.encode(), 0o644)
    add_file("etc/passwd", b"root:x:0:0:root:/:/bin/sh\n", 0o644)
    out.write_bytes(gzip.compress(_cpio(files), 1))
    return out


def boot(xen_elf: Path, root: Path, images: dict[str, Path], tmp: Path,
         timeout: float = 900) -> dict[str, str]:
    """Boot the dom0; name → what the domU printed (with xl's final state line)."""
    kernel = next((root / "boot").glob("vmlinuz-*"))
    rd = initramfs(root, images, tmp / "initrd.gz")
    # SVM with nested paging (npt): Xen's HAP, which a PVH domU needs.
    cmd = ["qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-cpu", "qemu64,+svm,+npt",
           "-m", "1024",
           "-nographic", "-no-reboot", "-kernel", str(xen_elf), "-append",
           "console=com1 com1=115200 dom0_mem=512M loglvl=all guest_loglvl=all",
           "-initrd", f"{kernel} console=hvc0 earlyprintk=xen quiet,{rd}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        for raw in proc.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            lines.append(line)
            if "=== unik dom0 done ===" in line or time.monotonic() > deadline:
                break
    finally:
        proc.kill()
        proc.wait()
    (tmp / "serial.log").write_text("\n".join(lines))
    result = {}
    for name in images:
        try:
            a = lines.index(BEGIN.format(name=name))
            b = lines.index(END.format(name=name))
        except ValueError:
            continue
        result[name] = "\n".join(ln for ln in lines[a + 1:b] if not ln.startswith("(XEN)"))
    return result


def have_tools() -> bool:
    return shutil.which("qemu-system-x86_64") is not None and shutil.which("ldd") is not None
