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
    -- * Network devices
  , Net
  , NetInfo (..)
  , netAcquire
  , netWrite
  , netRead
  , netReadWait
    -- * Block devices
  , Block
  , BlockInfo (..)
  , blockAcquire
  , blockRead
  , blockWrite
    -- * Errors
  , DeviceError (..)
  ) where

import Control.Concurrent (threadDelay, threadWaitRead)
import Control.Exception (Exception, throwIO)
import qualified Data.ByteString as B
import qualified Data.ByteString.Internal as BI
import qualified Data.ByteString.Unsafe as BU
import Data.Bits (shiftR, (.&.), (.|.))
import Data.Word (Word64, Word8)
import Foreign.C.String (CString, withCString)
import Foreign.C.Types (CChar, CInt (..), CSize (..))
import Foreign.Marshal.Alloc (allocaBytes)
import Foreign.Ptr (Ptr, castPtr)
import Foreign.Storable (peek, peekByteOff)
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

-- ---- devices (unik.h: unik_net_*, unik_block_*) ----

-- | A device call failed: no such device (until a host passes one), a bad
-- offset or size, … The message names the call and the result.
newtype DeviceError = DeviceError String deriving (Show)

instance Exception DeviceError

foreign import ccall unsafe "unik_net_acquire"
  c_net_acquire :: CString -> Ptr Word64 -> Ptr () -> IO CInt
foreign import ccall unsafe "unik_net_write"
  c_net_write :: Word64 -> Ptr Word8 -> CSize -> IO CInt
foreign import ccall unsafe "unik_net_read"
  c_net_read :: Word64 -> Ptr Word8 -> CSize -> Ptr CSize -> IO CInt
foreign import ccall unsafe "unik_hs_device_fd"
  c_device_fd :: Word64 -> IO CInt
foreign import ccall unsafe "unik_block_acquire"
  c_block_acquire :: CString -> Ptr Word64 -> Ptr () -> IO CInt
foreign import ccall unsafe "unik_block_read"
  c_block_read :: Word64 -> Word64 -> Ptr Word8 -> CSize -> IO CInt
foreign import ccall unsafe "unik_block_write"
  c_block_write :: Word64 -> Word64 -> Ptr Word8 -> CSize -> IO CInt

-- unik_result_t
resultOk, resultAgain :: CInt
resultOk = 0
resultAgain = 1

check :: String -> CInt -> IO ()
check call r
  | r == resultOk = pure ()
  | otherwise = throwIO (DeviceError (call ++ ": " ++ reason))
  where
    reason = case r of
      1 -> "try again (UNIK_AGAIN)"
      2 -> "invalid argument (UNIK_EINVAL)"
      3 -> "no such device (UNIK_EUNSPEC)"
      _ -> "error " ++ show r

-- | A network device: one Ethernet frame at a time.
newtype Net = Net Word64

data NetInfo = NetInfo
  { netMac :: [Word8]   -- ^ 6 bytes
  , netMtu :: Int       -- ^ without the Ethernet header
  } deriving (Show)

-- | Acquire the network device of that name (e.g. @"net0"@).
netAcquire :: String -> IO (Net, NetInfo)
netAcquire name =
  withCString name $ \cname -> allocaBytes 8 $ \ph -> allocaBytes 16 $ \pinfo -> do
    c_net_acquire cname ph pinfo >>= check ("Unik.netAcquire " ++ show name)
    h <- peek ph
    mac <- mapM (\i -> peekByteOff pinfo i) [0 .. 5]
    mtu <- peekByteOff pinfo 8 :: IO CSize   -- struct unik_net_info: mac[6], size_t mtu
    pure (Net h, NetInfo mac (fromIntegral mtu))

-- | Send one frame.
netWrite :: Net -> B.ByteString -> IO ()
netWrite (Net h) frame = BU.unsafeUseAsCStringLen frame $ \(p, n) ->
  c_net_write h (castPtr p) (fromIntegral n) >>= check "Unik.netWrite"

-- | The next received frame, if one is queued.
netRead :: Net -> IO (Maybe B.ByteString)
netRead (Net h) = allocaBytes 8 $ \plen -> do
  (frame, r) <- BI.createAndTrim' maxFrame $ \p -> do
    r <- c_net_read h p (fromIntegral maxFrame) plen
    n <- if r == resultOk then peek plen else pure 0
    pure (0, fromIntegral n, r)
  if r == resultAgain then pure Nothing else check "Unik.netRead" r >> pure (Just frame)
  where
    maxFrame = 65536

-- | The next received frame, waiting for one. Only the calling green thread
-- waits, on the device's event: the plugin's select (runtime/select.c)
-- gives each device a descriptor that GHC's scheduler can wait on
-- ('threadWaitRead'), readable while a frame is queued.
netReadWait :: Net -> IO B.ByteString
netReadWait net@(Net h) = netRead net >>= maybe wait pure
  where
    wait = do
      fd <- c_device_fd h
      threadWaitRead (fromIntegral fd)
      netReadWait net

-- | A block device.
newtype Block = Block Word64

data BlockInfo = BlockInfo
  { blockCapacity :: Word64   -- ^ bytes
  , blockSize :: Word64       -- ^ bytes; offsets and lengths are multiples of it
  } deriving (Show)

-- | Acquire the block device of that name (e.g. @"disk0"@).
blockAcquire :: String -> IO (Block, BlockInfo)
blockAcquire name =
  withCString name $ \cname -> allocaBytes 8 $ \ph -> allocaBytes 16 $ \pinfo -> do
    c_block_acquire cname ph pinfo >>= check ("Unik.blockAcquire " ++ show name)
    h <- peek ph
    cap <- peekByteOff pinfo 0
    size <- peekByteOff pinfo 8
    pure (Block h, BlockInfo cap size)

-- | Read @len@ bytes at @offset@.
blockRead :: Block -> Word64 -> Int -> IO B.ByteString
blockRead (Block h) offset len = BI.create len $ \p ->
  c_block_read h offset p (fromIntegral len) >>= check "Unik.blockRead"

-- | Write the bytes at @offset@.
blockWrite :: Block -> Word64 -> B.ByteString -> IO ()
blockWrite (Block h) offset bytes = BU.unsafeUseAsCStringLen bytes $ \(p, n) ->
  c_block_write h offset (castPtr p) (fromIntegral n) >>= check "Unik.blockWrite"
