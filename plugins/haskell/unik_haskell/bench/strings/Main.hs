-- unik compare's strings (core/compare/spec.py): append "<i>," for i in
-- 0..n-1 to one growing string (a ByteString Builder), then count its '7's.
import qualified Data.ByteString as B
import qualified Data.ByteString.Builder as BB
import qualified Data.ByteString.Lazy as BL
import GHC.Clock (getMonotonicTimeNSec)
import System.Environment (getArgs)

main :: IO ()
main = do
  args <- getArgs
  let n = case args of { (a : _) -> read a; _ -> 1000000 } :: Int
  t0 <- getMonotonicTimeNSec
  let s = BL.toStrict (BB.toLazyByteString (foldMap (\i -> BB.intDec i <> BB.char7 ',') [0 .. n - 1]))
      sevens = B.count 55 s
  B.length s `seq` sevens `seq` pure ()
  t1 <- getMonotonicTimeNSec
  putStrLn ("length " ++ show (B.length s) ++ ", sevens " ++ show sevens)
  putStrLn ("compute_ns " ++ show (t1 - t0))
