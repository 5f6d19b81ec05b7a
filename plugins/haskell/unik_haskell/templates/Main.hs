-- A Haskell unikernel: an ordinary program. `unik build && unik run`.
module Main (main) where

import Control.Concurrent (forkIO, threadDelay)
import Control.Concurrent.MVar
import Control.Monad (forM_)
import qualified Unik

ticker :: String -> Int -> Int -> MVar () -> IO ()
ticker name periodMs n done = do
  forM_ [1 .. n] $ \i -> do
    threadDelay (periodMs * 1000)
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
  _ <- forkIO (ticker "fast" 10 3 fast)
  _ <- forkIO (ticker "slow" 25 2 slow)
  takeMVar fast
  takeMVar slow
