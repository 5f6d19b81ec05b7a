-- The binary-trees benchmark (default depth 16): allocation and GC.
{-# OPTIONS_GHC -fno-full-laziness #-}
-- (no full laziness: the trees of one depth must be built afresh each iteration,
-- not shared as one constant)
import Control.Monad (forM_)
import Data.Bits (shiftL)
import GHC.Clock (getMonotonicTimeNSec)
import System.Environment (getArgs)

data Tree = Empty | Node Tree Tree

make :: Int -> Tree
make 0 = Node Empty Empty
make d = Node (make (d - 1)) (make (d - 1))

check :: Tree -> Int
check Empty = 0
check (Node l r) = 1 + check l + check r

main :: IO ()
main = do
  args <- getArgs
  let n = case args of { (a : _) -> read a; _ -> 16 }
  t0 <- getMonotonicTimeNSec
  let maxDepth = max 6 n
      stretch = maxDepth + 1
  putStrLn ("stretch tree of depth " ++ show stretch ++ "\t check: " ++ show (check (make stretch)))
  let longLived = make maxDepth
  forM_ [4, 6 .. maxDepth] $ \d -> do
    let iters = 1 `shiftL` (maxDepth - d + 4) :: Int
        c = sum [check (make d) | _ <- [1 .. iters]]
    putStrLn (show iters ++ "\t trees of depth " ++ show d ++ "\t check: " ++ show c)
  putStrLn ("long lived tree of depth " ++ show maxDepth ++ "\t check: " ++ show (check longLived))
  t1 <- getMonotonicTimeNSec
  putStrLn ("compute_ns " ++ show (t1 - t0))
