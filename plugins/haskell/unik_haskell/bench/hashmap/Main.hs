-- unik compare's hashmap (core/compare/spec.py) with Data.Map.Strict: 10 rounds
-- of insert, look up and delete half of n keys; then n String keys.
import Data.List (foldl')
import qualified Data.Map.Strict as M
import GHC.Clock (getMonotonicTimeNSec)
import System.Environment (getArgs)

main :: IO ()
main = do
  args <- getArgs
  let n = case args of { (a : _) -> read a; _ -> 100000 } :: Int
  t0 <- getMonotonicTimeNSec
  let rounds (m, s) r =
        let m1 = foldl' (\acc i -> M.insert (i * 7919) (i * r) acc) m [0 .. n - 1]
            s1 = foldl' (\acc i -> acc + M.findWithDefault 0 (i * 7919) m1) s [0 .. n - 1]
            m2 = foldl' (\acc i -> M.delete (2 * i * 7919) acc) m1 [0 .. n `div` 2 - 1]
        in s1 `seq` (m2, s1)
      (m, s) = foldl' rounds (M.empty, 0) [1 .. 10]
      key i = "key" ++ show i
      ms = foldl' (\acc i -> M.insert (key i) i acc) M.empty [0 .. n - 1]
      s' = foldl' (\acc i -> acc + M.findWithDefault 0 (key i) ms) s [0 .. n - 1]
  putStrLn ("sum " ++ show s' ++ ", " ++ show (M.size m) ++ " + " ++ show (M.size ms) ++ " keys")
  t1 <- getMonotonicTimeNSec
  putStrLn ("compute_ns " ++ show (t1 - t0))
