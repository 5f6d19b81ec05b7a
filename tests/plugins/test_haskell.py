"""The Haskell plugin: real GHC programs built into images and booted.

Every program is built once (a session fixture) and booted under QEMU and on
the embedded runner (KVM; the short ones also on the software CPU). Where the
program needs nothing of unik's, the same source is also built by GHC as a
native Linux executable of the same name, and the guest must print exactly
what the native program printed (stdout, then stderr) and return its status.
Build-side checks (new project, errors, no `syscall`) need no host.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from unik.testing import Guest, Result, boot_image, kvm_usable, plugin_host

pytestmark = pytest.mark.skipif(shutil.which("ghc") is None,
                                reason="ghc missing (apt-get install -y ghc)")

QEMU = pytest.param(("qemu", "auto"), id="qemu")
RUNNER_KVM = pytest.param(("runner", "kvm"), id="runner-kvm", marks=[
    pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")])
RUNNER_SOFT = pytest.param(("runner", "soft"), id="runner-soft")
HOSTS = [QEMU, RUNNER_KVM]


def hs(src: str) -> str:
    return textwrap.dedent(src).lstrip()


@dataclass
class Program:
    source: str                         # Main.hs
    status: int = 0
    patterns: list[str] = field(default_factory=list)   # must all appear in the output
    native: bool = True                 # compare with GHC's native build of the same source
    qemu_args: str = ""                 # the guest's command line under QEMU (TCG)
    memory: int = 128                   # guest MiB
    rts: list[str] = field(default_factory=list)        # [haskell] rts
    packages: list[str] = field(default_factory=list)   # [haskell] packages
    extra: dict[str, str] = field(default_factory=dict)  # more modules
    short: bool = False                 # also on the software CPU


PROGRAMS: dict[str, Program] = {}

# stdout is line-buffered on unik's console (GHC would block-buffer it: no tty):
# a line is out before a raw console write that follows it.
PROGRAMS["hello"] = Program(hs("""
    import Control.Concurrent (threadDelay)
    import Foreign.C.String (CString, withCStringLen)
    import Foreign.C.Types (CSize (..))
    import System.Environment (getArgs, getProgName)
    import System.IO
    import qualified Unik
    foreign import ccall unsafe "unik_console_write" rawWrite :: CString -> CSize -> IO ()
    main :: IO ()
    main = do
      putStrLn "Hello from Haskell"
      hGetBuffering stdout >>= print
      withCStringLen "raw write\\n" (\\(p, n) -> rawWrite p (fromIntegral n))
      getProgName >>= putStrLn . ("name " ++)
      t0 <- Unik.monotonicNs
      threadDelay 10000
      t1 <- Unik.monotonicNs
      putStrLn (if t1 - t0 >= 10000000 then "slept enough" else "slept " ++ show (t1 - t0))
      w <- Unik.wallNs
      putStrLn ("wall clock after 2020: " ++ show (w > 1577836800000000000))
      Unik.consoleLog "straight to the console: \\955"
    """), patterns=[r"Hello from Haskell\nLineBuffering\nraw write\n", r"name hello\n",
                    r"slept enough\n",
                    r"wall clock after 2020: (True|False)\n",
                    "straight to the console: \u03bb\n"], native=False, short=True)

# Until a host passes devices, acquiring one is a DeviceError naming the call.
PROGRAMS["devices"] = Program(hs("""
    import Control.Exception
    import qualified Unik
    main :: IO ()
    main = do
      r <- try (Unik.netAcquire "net0")
      putStrLn (either (\\(Unik.DeviceError m) -> "net error: " ++ m)
                       (\\(_, i) -> "net mtu " ++ show (Unik.netMtu i)) r)
      b <- try (Unik.blockAcquire "disk0")
      putStrLn (either (\\(Unik.DeviceError m) -> "block error: " ++ m)
                       (\\(_, i) -> "block size " ++ show (Unik.blockSize i)) b)
    """), patterns=[r'net (mtu \d+|error: Unik.netAcquire "net0": no such device)',
                    r'block (size \d+|error: Unik.blockAcquire "disk0": no such device)'],
    native=False, short=True)

PROGRAMS["plain"] = Program(hs("""
    main :: IO ()
    main = putStrLn "hello, world" >> print (sum [1 .. 100 :: Int], 2 ^ 70 :: Integer)
    """), short=True)

PROGRAMS["error"] = Program(hs("""
    import System.IO
    main :: IO ()
    main = do
      putStrLn "before the error"
      hFlush stdout
      n <- return (length "four")
      if n == 4 then error ("boom " ++ show n) else pure ()
    """), status=1, patterns=[r"before the error\n", r"error: boom 4\n"], short=True)

PROGRAMS["exit3"] = Program(hs("""
    import System.Exit
    main :: IO ()
    main = putStrLn "exiting with 3" >> exitWith (ExitFailure 3)
    """), status=3, short=True)

PROGRAMS["factorial"] = Program(hs("""
    main :: IO ()
    main = do
      let f = product [1 .. 1000 :: Integer]
          s = show f
      putStrLn (take 30 s ++ "..." ++ drop (length s - 30) s)
      print (length s, sum (map (\\c -> fromEnum c - 48) s))
      print (f `div` product [1 .. 998], f `mod` (2 ^ 61 - 1), gcd f (3 ^ 500))
    """), patterns=[r"^402387260077093773543702433923\.\.\.0{30}\n\(2568,10539\)\n\(999000,"],
    short=True)

PROGRAMS["map"] = Program(hs("""
    import qualified Data.Map.Strict as M
    import Data.List (foldl')
    main :: IO ()
    main = do
      let n = 100000 :: Int
          key i = (i * 7919) `mod` n
          m = foldl' (\\acc i -> M.insert (key i) (i * 2) acc) M.empty [0 .. n - 1]
          m2 = foldl' (flip M.delete) m [0, 2 .. n - 1]
      print (M.size m, M.size m2, M.foldl' (+) 0 m2)
      print (M.lookup 4242 m, M.lookup 4242 m2, M.lookupMin m2, M.lookupMax m2)
      print (take 5 (M.toList m2), M.valid m2)
    """), patterns=[r"\(100000,50000,"])

PROGRAMS["pingpong"] = Program(hs("""
    import Control.Concurrent
    import Control.Monad
    main :: IO ()
    main = do
      ping <- newEmptyMVar
      pong <- newEmptyMVar
      done <- newEmptyMVar
      let rounds = 100000 :: Int
      _ <- forkIO $ do
        forM_ [1 .. rounds] $ \\i -> do
          v <- takeMVar ping
          putMVar pong (v + i)
        putMVar done ()
      total <- foldM (\\acc i -> putMVar ping acc >> takeMVar pong) 0 [1 .. rounds]
      takeMVar done
      putStrLn ("ping-pong rounds " ++ show rounds ++ " total " ++ show total)
    """), patterns=[r"ping-pong rounds 100000 total 5000050000\n"])

# Thread k wakes k steps (1 ms; the command line may say other µs) after a
# common start (+50 ms for forking them all). GHC's scheduler wakes all the
# threads that are due at once and runs that batch in reverse (pushOnRunQueue),
# natively too, and a thread can be preempted between waking and recording it:
# after a late wake-up (the host preempts the vCPU for tens of ms on a loaded
# machine) neighbours are out of order. So: every thread wakes, none before its
# deadline, and once each descending run (a batch) is put back, each is within
# 100 places of its rank — a scheduler that woke them in any other order (the
# order they were forked in is a shuffle) is hundreds of places off. Under QEMU's
# TCG (~10x slower than native here) the step is 5 ms.
PROGRAMS["delays"] = Program(hs("""
    import Control.Concurrent
    import Control.Monad
    import Data.IORef
    import Data.List (sort)
    import GHC.Clock (getMonotonicTimeNSec)
    import System.Environment (getArgs)
    batches :: [Int] -> [Int]
    batches [] = []
    batches (x : xs) = let (run, rest) = go x xs in reverse run ++ batches rest
      where go p (y : ys) | y < p = let (r, t) = go y ys in (p : r, t)
            go p ys = ([p], ys)
    main :: IO ()
    main = do
      woke <- newIORef []
      left <- newMVar n
      done <- newEmptyMVar
      step <- (\\as -> case as of { (a : _) -> read a; _ -> 1000 }) <$> getArgs
      start <- getMonotonicTimeNSec
      forM_ order $ \\k -> forkIO $ do
        now <- getMonotonicTimeNSec
        let target = start + 50000000 + fromIntegral (k * step) * 1000
        threadDelay (if target > now then fromIntegral ((target - now + 999) `div` 1000) else 0)
        t <- getMonotonicTimeNSec
        atomicModifyIORef' woke (\\ws -> ((k, t >= target) : ws, ()))
        c <- modifyMVar left (\\c -> pure (c - 1, c - 1))
        when (c == 0) (putMVar done ())
      takeMVar done
      (ks, onTime) <- unzip . reverse <$> readIORef woke
      let off = maximum (zipWith (\\k i -> abs (k - i)) (batches ks) [1 ..])
      putStrLn ("threads " ++ show (length ks) ++ ", distinct " ++ show (sort ks == [1 .. n]))
      putStrLn ("none woke early: " ++ show (and onTime))
      putStrLn ("woke in order: " ++ show (off <= 100) ++ " (at most " ++ show off ++ " off)")
      where
        n = 1000 :: Int
        order = [(i * 389) `mod` n + 1 | i <- [0 .. n - 1]]   -- 1..1000, shuffled
    """), patterns=[r"threads 1000, distinct True\n", r"none woke early: True\n",
                    r"woke in order: True "], qemu_args="5000",
    native=False)   # timing on a loaded host: not compared with a native run

PROGRAMS["recursion"] = Program(hs("""
    {-# NOINLINE total #-}
    total :: [Int] -> Int
    total [] = 0
    total (x : xs) = x + total xs
    main :: IO ()
    main = do
      let n = 1000000
      print (total [1 .. n])
      print (foldr (\\x acc -> x + acc) 0 [1 .. toInteger n])
    """), patterns=[r"500000500000\n500000500000\n"], memory=256)

PROGRAMS["heap"] = Program(hs("""
    import qualified Data.ByteString as B
    import Control.Monad
    import GHC.Stats
    import System.Mem (performMajorGC)
    mib :: Integer
    mib = 1024 * 1024
    grow :: Int -> IO Int
    grow r = do
      -- 131072 pinned 4000-byte strings: one 4 KiB block each, 512 MiB
      let chunks = [B.replicate 4000 (fromIntegral (i + r)) | i <- [1 .. 131072 :: Int]]
      s <- foldM (\\acc c -> B.length c `seq` pure (acc + fromIntegral (B.head c))) 0 chunks
      performMajorGC
      st <- getRTSStats
      let peak = toInteger (max_live_bytes st)
      putStrLn ("round " ++ show r ++ ": live at most " ++ show (peak `div` mib)
                ++ " MiB, >= 512: " ++ show (peak >= 512 * mib))
      print (sum (map (fromIntegral . B.last) chunks) + s :: Int)
      pure s
    main :: IO ()
    main = do
      enabled <- getRTSStatsEnabled
      putStrLn ("stats " ++ show enabled)
      a <- grow 0
      performMajorGC
      st <- getRTSStats
      let live = toInteger (gcdetails_live_bytes (gc st))
      putStrLn ("after: live below 16 MiB: " ++ show (live < 16 * mib))
      b <- grow 1
      print (a, b)
    """), patterns=[r"stats True\n", r"round 0: live at most \d+ MiB, >= 512: True\n",
                    r"after: live below 16 MiB: True\n", r"round 1: .*>= 512: True\n"],
    native=False, memory=768, rts=["-T"])

# More live data than the guest has: a line that says so and status 251 (as for
# GHC's own -M limit; reported as 123), not GHC's "internal error" abort.
PROGRAMS["exhausted"] = Program(hs("""
    import qualified Data.Map as M
    main :: IO ()
    main = print (M.size (M.fromList [(i, show i) | i <- [1 .. 10000000 :: Int]]))
    """), status=123, patterns=[r"exhausted: out of memory: the guest's RAM is used up "
                                r"\(give it more with `unik run --memory MiB`"],
    native=False, memory=64)

PROGRAMS["textbytes"] = Program(hs("""
    {-# LANGUAGE OverloadedStrings #-}
    import qualified Data.ByteString as B
    import qualified Data.ByteString.Builder as BB
    import qualified Data.ByteString.Char8 as BC
    import qualified Data.ByteString.Lazy as BL
    import qualified Data.Text as T
    import qualified Data.Text.Encoding as TE
    import qualified Data.Text.IO as TIO
    main :: IO ()
    main = do
      let t = T.pack "Grüße, λ-calculus! 日本語 🎉"
          bytes = TE.encodeUtf8 t
      print (T.length t, B.length bytes, TE.decodeUtf8 bytes == t)
      TIO.putStrLn (T.toUpper t)
      print (T.words "  a bb  ccc ", T.splitOn "," "x,y,,z", T.replace "l" "L" "hello")
      let big = B.pack (map fromIntegral [0 .. 1048575 :: Int])
      print (B.length big, B.foldl' (\\a w -> a + fromIntegral w) (0 :: Int) big)
      print (BC.lines "one\\ntwo\\nthree", BC.unpack (BC.map succ "HAL"))
      let built = BL.toStrict (BB.toLazyByteString
                    (mconcat [BB.intDec i <> BB.char7 ' ' | i <- [1 .. 10 :: Int]]))
      BC.putStrLn built
      print (B.unpack (B.reverse (B.take 5 bytes)), B.elemIndex 0xce bytes)
    """), patterns=[r"\(24,36,True\)\n"])

PROGRAMS["libraries"] = Program(hs("""
    import Control.Concurrent
    import Control.Concurrent.STM
    import Control.DeepSeq (force)
    import Control.Exception (ArithException (..), evaluate, throwIO, try)
    import Control.Monad
    import Control.Monad.State
    import Data.Array
    import Data.IORef
    import qualified Data.Set as S
    import Text.Printf (printf)
    counter :: State Int [Int]
    counter = forM [1 .. 5] $ \\i -> modify (+ i) >> get
    main :: IO ()
    main = do
      print (runState counter 0)
      let a = accumArray (+) 0 (0, 4) [(i `mod` 5, i) | i <- [1 .. 100]] :: Array Int Int
      print (elems a, bounds a)
      tv <- newTVarIO (0 :: Int)
      done <- newEmptyMVar
      forM_ [1 .. 10] $ \\_ -> forkIO $ do
        forM_ [1 .. 1000 :: Int] $ \\_ -> atomically (modifyTVar' tv (+ 1))
        putMVar done ()
      replicateM_ 10 (takeMVar done)
      readTVarIO tv >>= print
      xs <- evaluate (force (S.toList (S.fromList (map (`mod` 97) [1 .. 10000 :: Int]))))
      print (length xs)
      r <- try (evaluate (1 `div` (0 :: Int)))
      print (r :: Either ArithException Int)
      r2 <- try (throwIO Overflow)
      print (r2 :: Either ArithException ())
      ref <- newIORef (0 :: Int)
      mapM_ (\\i -> modifyIORef' ref (+ i)) [1 .. 1000]
      readIORef ref >>= print
      printf "%d %.3f %s %5.2e\\n" (42 :: Int) (3.14159 :: Double) "str" (12345.678 :: Double)
      print (sqrt 2 :: Double, exp 1 :: Double, 0.1 + 0.2 :: Double, read "2.5e-3" :: Double)
    """), patterns=[r"\(\[1,3,6,10,15\],15\)\n", r"10000\n97\n", r"Left divide by zero\n"],
    packages=["mtl", "stm", "containers", "array", "deepseq"], short=True)

PROGRAMS["modules"] = Program(hs("""
    import Geometry.Shapes (Shape (..), area)
    import Util
    main :: IO ()
    main = mapM_ (putStrLn . describe) [Circle 1, Square 2]
    """), extra={
        "Geometry/Shapes.hs": hs("""
            module Geometry.Shapes (Shape (..), area) where
            data Shape = Circle Double | Square Double deriving Show
            area :: Shape -> Double
            area (Circle r) = pi * r * r
            area (Square s) = s * s
            """),
        "Util.hs": hs("""
            module Util (describe) where
            import Geometry.Shapes
            describe :: Shape -> String
            describe s = show s ++ " has area " ++ show (area s)
            """)},
    patterns=[r"Circle 1\.0 has area 3\.14159", r"Square 2\.0 has area 4\.0\n"], short=True)

SHORT = [n for n, p in PROGRAMS.items() if p.short]


class _Images(dict):
    """name → image, each program built on first use."""

    def __init__(self, parent: Path):
        super().__init__()
        self.parent = parent

    def __missing__(self, name: str) -> Path:
        p = PROGRAMS[name]
        toml = "[haskell]\n" + "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in
                                        (("rts", p.rts), ("packages", p.packages)) if v)
        self[name] = Guest.create(self.parent, "haskell", {"Main.hs": p.source, **p.extra},
                                  name=name, toml=toml).build().image
        return self[name]


@pytest.fixture(scope="session")
def images(tmp_path_factory) -> _Images:
    return _Images(tmp_path_factory.mktemp("haskell"))


class _Native(dict):
    """name → (stdout + stderr, status) of the program built by GHC for Linux."""

    def __init__(self, parent: Path):
        super().__init__()
        self.parent = parent

    def __missing__(self, name: str) -> tuple[str, int]:
        p = PROGRAMS[name]
        d = self.parent / name
        for rel, text in {"Main.hs": p.source, **p.extra}.items():
            (d / rel).parent.mkdir(parents=True, exist_ok=True)
            (d / rel).write_text(text)
        opts = [f"-with-rtsopts={' '.join(p.rts)}"] if p.rts else []
        subprocess.run(["ghc", "-O2", "-v0", *opts, "-outputdir", "o", "-o", name, "Main.hs"],
                       check=True, cwd=d)
        proc = subprocess.run([str(d / name)], capture_output=True, text=True, timeout=120)
        self[name] = (proc.stdout + proc.stderr, proc.returncode)
        return self[name]


@pytest.fixture(scope="session")
def native(tmp_path_factory) -> _Native:
    return _Native(tmp_path_factory.mktemp("haskell-native"))


def check(name: str, r: Result, native: _Native) -> None:
    p = PROGRAMS[name]
    # QEMU's serial turns "\n" into "\r\n"; compare lines, not line ends.
    out = r.output.replace("\r\n", "\n")
    assert r.status == p.status, f"{name}: status {r.status}, output:\n{out}"
    for pat in p.patterns:
        assert re.search(pat, out, re.M), f"{name}: /{pat}/ not in output:\n{out}"
    if p.native:
        want, status = native[name]
        assert status == p.status, f"{name}: native status {status}:\n{want}"
        assert out == want, f"{name}: the guest printed\n{out}\nnative GHC printed\n{want}"


def boot(images: _Images, name: str, host: tuple[str, str]) -> Result:
    p = PROGRAMS[name]
    return boot_image(images[name], host=host[0], cpu=host[1], timeout=300,
                      memory_mib=p.memory, cmdline=p.qemu_args if host[0] == "qemu" else "")


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_haskell_program(images, native, name: str, host: tuple[str, str]):
    check(name, boot(images, name, host), native)


@pytest.mark.parametrize("name", SHORT)
def test_haskell_program_soft_cpu(images, native, name: str):
    check(name, boot(images, name, ("runner", "soft")), native)


# ---- real Xen: the image as the PV dom0 of Xen 4.17 nested in QEMU ----

def _xen_dom0():
    """tests/runner/test_xen_dom0.py's harness (Xen binary, boot_dom0)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "runner" / "test_xen_dom0.py"
    spec = importlib.util.spec_from_file_location("_unik_xen_dom0", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


XEN = _xen_dom0()
# Xen gives dom0 32 MiB here and reports no exit status: the output must match.
ON_XEN = ["plain", "error", "factorial", "pingpong", "libraries", "modules"]


@pytest.fixture(scope="module")
def xen_elf(tmp_path_factory) -> Path:
    if XEN.XEN is None:
        pytest.skip("no Xen hypervisor binary (set UNIK_XEN_HYPERVISOR)")
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("no QEMU")
    import gzip

    data = XEN.XEN.read_bytes()           # Xen as the ELF QEMU's -kernel takes
    out = tmp_path_factory.mktemp("xen") / "xen.elf"
    out.write_bytes(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    return out


@pytest.mark.parametrize("name", ON_XEN)
def test_haskell_program_on_xen(images, native, xen_elf, name: str):
    out, end = XEN.boot_dom0(xen_elf, images[name])
    p = PROGRAMS[name]
    for pat in p.patterns:
        assert re.search(pat, out + "\n", re.M), f"{name}: /{pat}/ not in output:\n{out}"
    want, _ = native[name]
    assert want.strip() in out, f"{name}: Xen's dom0 printed\n{out}\nnative GHC printed\n{want}"
    assert "Dom0 halted" in end, end


# ---- Unik.netReadWait: a green thread waits on the NIC's event ----

NET_WAIT = hs("""
    import Control.Concurrent
    import Control.Monad
    import qualified Data.ByteString as B
    import Data.Word (Word8)
    import qualified Unik
    main :: IO ()
    main = do
      (net, info) <- Unik.netAcquire "eth0"
      let mac = Unik.netMac info
          me = [10, 0, 2, 15]; router = [10, 0, 2, 2] :: [Word8]
          request = B.pack (replicate 6 0xff ++ mac ++ [8, 6, 0, 1, 8, 0, 6, 4, 0, 1] ++ mac
                            ++ me ++ replicate 6 0 ++ router ++ replicate 18 0)
          isReply f = B.length f >= 42 && B.unpack (B.take 2 (B.drop 12 f)) == [8, 6]
                      && B.index f 21 == 2 && B.unpack (B.take 4 (B.drop 28 f)) == router
      got <- newEmptyMVar
      _ <- forkIO (let loop = Unik.netReadWait net >>= \\f ->
                                if isReply f then putMVar got f else loop
                   in loop)
      ticks <- newMVar (0 :: Int)
      _ <- forkIO (forever (threadDelay 50000 >> modifyMVar_ ticks (pure . (+ 1))))
      threadDelay 1000000                 -- the reader waits all this time
      n <- readMVar ticks
      putStrLn ("other threads ran while it waited: " ++ show (n >= 10))
      Unik.netWrite net request
      f <- takeMVar got
      putStrLn ("router is at " ++ show (B.unpack (B.take 6 (B.drop 22 f))))
    """)


@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm")
def test_net_read_wait_sleeps_until_a_frame_comes(tmp_path: Path):
    """ARP to the user network's router (libslirp in the runner); the reading
    thread blocks a second before the request goes out. It must wait on the
    NIC's event, not look every millisecond: a look is an exit to the host,
    so a second of looking would cost ~1,000 exits; waiting costs a few per
    wake-up of the 50 ms ticker."""
    import io

    from unik import runner
    from unik.runner.devices import DeviceSpecs, parse_nics

    image = Guest.create(tmp_path, "haskell", {"Main.hs": NET_WAIT}, name="netwait").build().image
    out = io.BytesIO()
    r = runner.boot(image, cpu="kvm", out=out, err=out, timeout=120,
                    devices=DeviceSpecs(nics=parse_nics(["user"], [])))
    text = out.getvalue().decode(errors="replace")
    assert r.status == 0, text
    assert "other threads ran while it waited: True\n" in text, text
    assert re.search(r"router is at \[(\d+,){5}\d+\]\n", text), text
    assert r.exits < 250, f"{r.exits} exits: the reader polled\n{text}"


# ---- unik compare: the comparison programs print what the specification says ----

@pytest.mark.skipif(not kvm_usable(), reason="no usable /dev/kvm: the programs would take "
                    "minutes each on the software CPU")
def test_compare_programs_check_out_in_the_guest_and_natively(tmp_path: Path):
    import unik_haskell
    from unik.testing import check_benchmarks

    got = check_benchmarks(unik_haskell, work_dir=tmp_path, native=True)
    programs = {"hello", "fib", "binarytrees", "hashmap", "nbody", "strings", "ring"}
    assert set(got) == {f"haskell/{p}{s}" for p in programs for s in ("", " (native)")}, got
    assert set(got.values()) == {"ok"}, got


# ---- build side: no host needed ----

def test_registered_with_toolchain():
    lang = plugin_host().language("haskell")
    tools = {t.name: t for t in lang.toolchain()}
    assert set(tools) >= {"ghc", "ghc-pkg", "libHSrts.a", "libgmp.a", "libffi.a"}
    assert tools["ghc"].install == "apt-get install -y ghc"
    assert tools["libgmp.a"].install == "apt-get install -y libgmp-dev"
    assert all(t.found for t in tools.values()), tools


def test_doctor_names_ghc(cli):
    r = cli("doctor")
    assert re.search(r"haskell\s+ghc\s+The Glorious Glasgow Haskell", r.out), r.out


def test_detects_hs_projects(tmp_path: Path):
    (tmp_path / "Main.hs").write_text("main = pure ()\n")
    assert plugin_host().detect_language(tmp_path) == "haskell"


def test_new_project_builds_without_syscall(cli, tmp_path: Path):
    r = cli("new", "app", "--lang", "haskell", cwd=tmp_path)
    assert r.status == 0, r.err
    proj = tmp_path / "app"
    assert (proj / "Main.hs").is_file()
    r = cli("build", cwd=proj)
    assert r.status == 0, r.err
    assert "compiling Haskell (1 module, GHC 9.0.2 -O2)" in r.err, r.err
    assert re.search(r"app\.unik \([\d.]+ (KiB|MiB) stripped", r.out), r.out
    from unik.image import checks
    assert checks.find_syscalls(proj / "_build" / "app.unik.debug") == []


@pytest.mark.parametrize("host", HOSTS)
def test_new_project_runs(cli, tmp_path: Path, host: tuple[str, str]):
    assert cli("new", "app", "--lang", "haskell", cwd=tmp_path).status == 0
    args = ["run", "--timeout", "300"] + (["--host", "qemu"] if host[0] == "qemu"
                                          else ["--cpu", host[1]])
    r = cli(*args, cwd=tmp_path / "app")
    assert r.status == 0, r.out + r.err
    out = r.out.replace("\r\n", "\n")
    m = re.search(r"slept (\d+) ms", out)
    assert m and int(m.group(1)) >= 10, out
    # Each ticker's ticks in order and none missing. Their interleaving (fast
    # 100, 200, 300 ms; slow 250, 500 ms) is not asserted: when the host
    # preempts the guest past two deadlines, GHC wakes both threads in one
    # batch and runs it in reverse, natively too — a timing fact, not a bug.
    ticks = re.findall(r"(fast|slow): tick (\d)", out)
    assert [i for n, i in ticks if n == "fast"] == ["1", "2", "3"], out
    assert [i for n, i in ticks if n == "slow"] == ["1", "2"], out
    assert out.startswith("Hello from Haskell on unik!\n"), out


def test_rts_options_and_cmdline_reach_the_program(tmp_path: Path):
    src = hs("""
        import System.Environment
        import GHC.Stats
        main :: IO ()
        main = do
          getArgs >>= print
          getRTSStatsEnabled >>= print
        """)
    g = Guest.create(tmp_path, "haskell", {"Main.hs": src}, name="args",
                     toml='[haskell]\nrts = ["-T", "-H16m"]\nflags = ["-O1"]\n')
    r = g.boot(host="runner", cmdline="one +RTS -A2m -RTS two")
    assert r.status == 0, r.output
    assert '["one","two"]\nTrue\n' in r.output, r.output


def test_main_module_in_a_folder_with_its_own_name(tmp_path: Path):
    files = {"src/App.hs": hs("""
                 {- the main module need not be called Main -}
                 module App (main) where
                 import Lib.Greet
                 main :: IO ()
                 main = putStrLn (greet "src")
                 """),
             "src/Lib/Greet.hs": "module Lib.Greet (greet) where\n"
                                 "greet :: String -> String\ngreet w = \"hello from \" ++ w\n"}
    g = Guest.create(tmp_path, "haskell", files, name="srcp",
                     toml='[haskell]\nmain = "src/App.hs"\n')
    r = g.boot(host="runner")
    assert r.status == 0 and r.output == "hello from src\n", r.output


def _ghc_has(package: str) -> bool:
    return subprocess.run(["ghc-pkg", "--simple-output", "field", package, "id"],
                          capture_output=True).returncode == 0


@pytest.mark.skipif(not _ghc_has("random"), reason="libghc-random-dev not installed "
                    "(apt-get install -y libghc-random-dev): a Debian package beyond GHC's own")
def test_debian_haskell_package_by_import(tmp_path: Path):
    src = hs("""
        import System.Random
        main :: IO ()
        main = do
          print (take 5 (randomRs (1, 100 :: Int) (mkStdGen 42)))
          r <- randomRIO (1, 6 :: Int)
          print (r >= 1 && r <= 6)
        """)
    r = Guest.create(tmp_path, "haskell", {"Main.hs": src}, name="rnd").boot(host="runner")
    assert r.status == 0 and r.output == "[49,24,96,16,81]\nTrue\n", r.output


def test_compile_error_is_a_user_error(cli, tmp_path: Path):
    Guest.create(tmp_path, "haskell", {"Main.hs": 'main = putStrLn 42\n'}, name="bad")
    r = cli("build", cwd=tmp_path / "bad")
    assert r.status == 1
    assert "Main.hs:1:" in r.err and "Traceback" not in r.err, r.err


def test_missing_package_names_debian_package(cli, tmp_path: Path):
    Guest.create(tmp_path, "haskell", {"Main.hs": "main = pure ()\n"}, name="pkg",
                 toml='[haskell]\npackages = ["no-such-lib"]\n')
    r = cli("build", cwd=tmp_path / "pkg")
    assert r.status == 1
    assert "package 'no-such-lib' is not installed" in r.err
    assert "apt-get install -y libghc-no-such-lib-dev" in r.err, r.err
    assert len(r.err.strip().splitlines()) == 1, r.err


def test_missing_module_names_debian_package(cli, tmp_path: Path):
    Guest.create(tmp_path, "haskell", {"Main.hs": "import Data.Vector\nmain = pure ()\n"},
                 name="imp")
    r = cli("build", cwd=tmp_path / "imp")
    assert r.status == 1
    assert "module Data.Vector is not installed" in r.err, r.err
    assert "apt-get install -y libghc-vector-dev" in r.err, r.err


def test_hidden_package_says_how_to_use_it(cli, tmp_path: Path):
    Guest.create(tmp_path, "haskell", {"Main.hs": "import GHC (Ghc)\nmain = pure ()\n"},
                 name="hid")
    r = cli("build", cwd=tmp_path / "hid")
    assert r.status == 1
    assert "hidden package 'ghc'" in r.err and "packages" in r.err, r.err


def test_no_main_module_is_a_clear_error(cli, tmp_path: Path):
    Guest.create(tmp_path, "haskell", {"Lib.hs": "module Lib where\nx = 1\n"}, name="nomain")
    r = cli("build", cwd=tmp_path / "nomain")
    assert r.status == 1 and "no Main.hs in" in r.err, r.err


@pytest.mark.parametrize("toml, message", [
    ("[haskell]\npackage = []\n", "did you mean 'packages'"),
    ('[haskell]\nflags = ["-threaded"]\n', "flag '-threaded' is not available"),
    ('[haskell]\nrts = ["-N4"]\n', "rts option '-N4' is not available"),
    ('[haskell]\nrts = "-M1g"\n', "'rts' must be a list"),
    ('[haskell]\nflags = [1]\n', "'flags' must be a list of strings"),
])
def test_bad_options_are_rejected(cli, tmp_path: Path, toml: str, message: str):
    Guest.create(tmp_path, "haskell", {"Main.hs": "main = pure ()\n"}, name="opt", toml=toml)
    r = cli("build", cwd=tmp_path / "opt")
    assert r.status == 1 and message in r.err, r.err


def test_link_arguments_are_read_from_ghcs_response_file(tmp_path: Path):
    from unik_haskell.linkargs import parse_link_args

    out = tmp_path / "ghc"
    (out / "Sub").mkdir(parents=True)
    rsp = "\n".join(f'"{a}"' for a in [
        "-o", "prog", "-Wl,--gc-sections", str(out / "Main.o"), str(out / "Sub" / "A.o"),
        "/tmp/ghc123_0/ghc_5.o", "-L/usr/lib/ghc/rts", "-lHSrts", "-lgmp", "-lc", "-lm",
        "-lrt", "-ldl", "-lffi", "-lgmp"])
    got = parse_link_args(rsp, out)
    assert got.objects == [out / "Main.o", out / "Sub" / "A.o"]
    assert [p.name for p in got.libs] == ["libHSrts.a", "libgmp.a", "libffi.a"]
    with pytest.raises(Exception, match=r"no static library libnosuch\.a"):
        parse_link_args('"-lnosuch"', out)


@pytest.mark.parametrize("message, line", [
    ("Main.hs:1:1: error:\n    Could not find module ‘Data.Vector.Mutable’\n",
     "module Data.Vector.Mutable is not installed: it is in package 'vector', "
     "install it with `apt-get install -y libghc-vector-dev`"),
    ("Could not find module ‘Test.QuickCheck’", "libghc-quickcheck2-dev"),
    ("Could not find module ‘Foo.Bar’", "module Foo.Bar is neither in the project nor"),
    ("It is a member of the hidden package ‘ghc-9.0.2’.", "hidden package 'ghc'"),
])
def test_ghc_errors_become_one_line(message: str, line: str):
    from unik_haskell.packages import explain_ghc_error

    got = explain_ghc_error(message)
    assert got is not None and line in got, got
