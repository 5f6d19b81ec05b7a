-- A Haskell unikernel: an ordinary program. `unik build && unik run`.
-- Green threads, MVars and threadDelay work as usual; Unik adds the console
-- and the guest's clocks (see the plugin's README).
module Main (main) where

import Control.Concurrent (forkIO, threadDelay)
import Control.Concurrent.MVar
import Control.Monad (forM_)
import Data.Word (Word64)
import qualified Unik

-- Tick n times, the i-th tick i periods after start (no drift from printing).
ticker :: String -> Word64 -> Word64 -> Int -> MVar () -> IO ()
ticker name start periodMs n done = do
  forM_ [1 .. n] $ \i -> do
    Unik.sleepUntilNs (start + fromIntegral i * periodMs * 1000000)
    putStrLn (name ++ ": tick " ++ show i)
  putMVar done ()

main :: IO ()
main = do
  putStrLn "Hello from Haskell on unik!"
  t0 <- Unik.monotonicNs
  threadDelay 10000
  t1 <- Unik.monotonicNs
  putStrLn ("slept " ++ show ((t1 - t0) `div` 1000000) ++ " ms")
  fast <- newEmptyMVar
  slow <- newEmptyMVar
  _ <- forkIO (ticker "fast" t1 100 3 fast)
  _ <- forkIO (ticker "slow" t1 250 2 slow)
  takeMVar fast
  takeMVar slow
