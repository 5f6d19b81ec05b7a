-- A key-value store on the block device, as a file (/dev/xvda) with
-- System.IO: 512-byte records (64-byte key, 448-byte value) in an open hash
-- table (the record layout of examples/ocaml-block-kv; its own hash).
--   unik run -- put KEY VALUE | get KEY | list
-- A put is durable when it returns (hFlush, then fsync).
{-# LANGUAGE ForeignFunctionInterface #-}
import Control.Monad (forM_, unless, when)
import Data.Bits (xor)
import qualified Data.ByteString.Char8 as B
import Data.Char (ord)
import Foreign.C.Types (CInt (..))
import GHC.IO.FD (fdFD)
import GHC.IO.Handle.FD (handleToFd)
import System.Environment (getArgs)
import System.Exit (ExitCode (..), exitWith)
import System.IO

foreign import ccall unsafe "fsync" c_fsync :: CInt -> IO CInt

recSize, keySize :: Int
recSize = 512
keySize = 64

field :: B.ByteString -> B.ByteString
field = B.takeWhile (/= '\0')

readRec :: Handle -> Int -> IO (B.ByteString, B.ByteString)
readRec h i = do
  hSeek h AbsoluteSeek (fromIntegral (i * recSize))
  r <- B.hGet h recSize
  return (field (B.take keySize r), field (B.drop keySize r))

-- The slot holding key k, or the empty one where it goes (Nothing: full).
find :: Handle -> Int -> B.ByteString -> IO (Maybe (Int, Bool))
find h slots k = probe (hash k `mod` slots) 0
  where
    hash = B.foldl' (\a c -> (a `xor` ord c) * 16777619 `mod` 2147483647) 2166136261
    probe i n
      | n == slots = return Nothing
      | otherwise = do
          (here, _) <- readRec h i
          if B.null here || here == k
            then return (Just (i, here == k))
            else probe ((i + 1) `mod` slots) (n + 1)

die' :: Int -> String -> IO a
die' code msg = hPutStrLn stderr msg >> exitWith (ExitFailure code)

main :: IO ()
main = do
  args <- getArgs
  h <- openBinaryFile "/dev/xvda" ReadWriteMode
  hSeek h SeekFromEnd 0                 -- a block device: hFileSize is for regular files
  size <- hTell h
  let slots = fromIntegral size `div` recSize
  case args of
    ["put", k, v] | length k < keySize -> do
      found <- find h slots (B.pack k)
      case found of
        Nothing -> die' 1 "the store is full"
        Just (i, _) -> do
          let val = B.take (recSize - keySize - 1) (B.pack v)
              pad n s = s <> B.replicate (n - B.length s) '\0'
          hSeek h AbsoluteSeek (fromIntegral (i * recSize))
          B.hPut h (pad keySize (B.pack k) <> pad (recSize - keySize) val)
          hFlush h
          fd <- handleToFd h
          rc <- c_fsync (fdFD fd)
          when (rc /= 0) $ die' 1 "fsync failed"
          putStrLn "ok"
    ["get", k] -> do
      found <- find h slots (B.pack k)
      case found of
        Just (i, True) -> readRec h i >>= B.putStrLn . snd
        _ -> putStrLn (k ++ ": not found") >> exitWith (ExitFailure 3)
    ["list"] -> forM_ [0 .. slots - 1] $ \i -> do
      (k, v) <- readRec h i
      unless (B.null k) $ B.putStrLn (k <> B.pack " = " <> v)
    _ -> die' 2 "usage: put KEY VALUE | get KEY | list"
