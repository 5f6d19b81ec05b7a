-- Naive fib (default 32), timed inside the program: prints compute_ns.
import GHC.Clock (getMonotonicTimeNSec)
import System.Environment (getArgs)

fib :: Int -> Int
fib n = if n < 2 then n else fib (n - 1) + fib (n - 2)

main :: IO ()
main = do
  args <- getArgs
  let n = case args of { (a : _) -> read a; _ -> 32 }
  t0 <- getMonotonicTimeNSec
  let r = fib n
  r `seq` pure ()
  t1 <- getMonotonicTimeNSec
  putStrLn ("fib(" ++ show n ++ ") = " ++ show r)
  putStrLn ("compute_ns " ++ show (t1 - t0))
