-- unik compare's ring (core/compare/spec.py), the benchmarks game's
-- thread-ring: 503 green threads, each with an MVar mailbox, pass a token n
-- times; the one that receives 0 reports its 1-based number.
import Control.Concurrent
import Control.Monad (forM_)
import GHC.Clock (getMonotonicTimeNSec)
import System.Environment (getArgs)

size :: Int
size = 503

main :: IO ()
main = do
  args <- getArgs
  let n = case args of { (a : _) -> read a; _ -> 1000000 } :: Int
  t0 <- getMonotonicTimeNSec
  boxes <- mapM (const newEmptyMVar) [1 .. size]
  done <- newEmptyMVar
  let next i = boxes !! (i `mod` size)
      thread i inbox out = do
        token <- takeMVar inbox
        if token == 0
          then putMVar done i
          else putMVar out (token - 1) >> thread i inbox out
  forM_ (zip3 [1 ..] boxes (drop 1 (cycle boxes))) $ \(i, inbox, out) ->
    forkIO (thread i inbox out)
  putMVar (next 0) n
  holder <- takeMVar done
  t1 <- getMonotonicTimeNSec
  print (holder :: Int)
  putStrLn ("compute_ns " ++ show (t1 - t0))
