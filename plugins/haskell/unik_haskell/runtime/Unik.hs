{-# LANGUAGE ForeignFunctionInterface #-}
-- | Unik: the Haskell binding of unik's application ABI (unik.h), HaLVM style.
--
-- A unikernel is one Haskell program on one vCPU, with GHC's non-threaded
-- runtime: green threads ('Control.Concurrent.forkIO'), 'MVar', STM and
-- 'threadDelay' work as usual and are scheduled by the RTS; while every
-- thread sleeps, the guest blocks (no busy waiting). The standard handles
-- 'System.IO.stdout' and 'System.IO.stderr' go to the console too.
module Unik
  ( -- * Console
    consoleWrite
  , consoleLog
    -- * Clocks (nanoseconds)
  , monotonicNs
  , wallNs
  , sleepNs
  , sleepUntilNs
  ) where

import Control.Concurrent (threadDelay)
import qualified Data.ByteString as B
import qualified Data.ByteString.Unsafe as BU
import Data.Bits (shiftR, (.&.), (.|.))
import Data.Word (Word64, Word8)
import Foreign.C.Types (CChar, CSize (..))
import Foreign.Ptr (Ptr)
import System.IO (hFlush, stdout)

foreign import ccall unsafe "unik_console_write"
  c_console_write :: Ptr CChar -> CSize -> IO ()
foreign import ccall unsafe "unik_clock_monotonic"
  c_clock_monotonic :: IO Word64
foreign import ccall unsafe "unik_clock_wall"
  c_clock_wall :: IO Word64

-- | Write bytes to the console as they are. 'stdout' is flushed first, so
-- output stays in program order.
consoleWrite :: B.ByteString -> IO ()
consoleWrite s = do
  hFlush stdout
  BU.unsafeUseAsCStringLen s $ \(p, n) -> c_console_write p (fromIntegral n)

-- | Write a line, encoded as UTF-8.
consoleLog :: String -> IO ()
consoleLog s = consoleWrite (B.pack (concatMap utf8 (s ++ "\n")))

utf8 :: Char -> [Word8]
utf8 c
  | n < 0x80 = [fromIntegral n]
  | n < 0x800 = [0xc0 .|. hi 6, cont 0]
  | n < 0x10000 = [0xe0 .|. hi 12, cont 6, cont 0]
  | otherwise = [0xf0 .|. hi 18, cont 12, cont 6, cont 0]
  where
    n = fromEnum c
    hi k = fromIntegral (n `shiftR` k)
    cont k = 0x80 .|. (fromIntegral (n `shiftR` k) .&. 0x3f)

-- | Monotonic clock: ns since an arbitrary point at boot; never goes back.
monotonicNs :: IO Word64
monotonicNs = c_clock_monotonic

-- | Wall clock: ns since the Unix epoch (0 when the host gave no wall clock).
wallNs :: IO Word64
wallNs = c_clock_wall

-- | Sleep for at least @ns@ nanoseconds. Only the calling green thread
-- sleeps (this is 'threadDelay'); the others keep running.
sleepNs :: Word64 -> IO ()
sleepNs ns = threadDelay (fromIntegral ((ns + 999) `div` 1000))

-- | Sleep until the monotonic clock reaches @deadline@.
sleepUntilNs :: Word64 -> IO ()
sleepUntilNs deadline = do
  now <- monotonicNs
  if now >= deadline then pure () else sleepNs (deadline - now)
