-- A UDP echo server with GHC's network package, unmodified: answers every
-- datagram on the port given (default 7); "quit" ends it.
import qualified Data.ByteString.Char8 as B
import Network.Socket
import Network.Socket.ByteString (recvFrom, sendTo)
import System.Environment (getArgs)
import System.IO

main :: IO ()
main = do
  args <- getArgs
  let port = case args of
        (p:_) -> p
        _ -> "7"
  addr:_ <- getAddrInfo (Just defaultHints { addrFlags = [AI_PASSIVE], addrSocketType = Datagram })
                        Nothing (Just port)
  sock <- socket (addrFamily addr) Datagram defaultProtocol
  bind sock (addrAddress addr)
  putStrLn ("udp echo on port " ++ port)
  hFlush stdout
  let loop n = do
        (msg, peer) <- recvFrom sock 2048
        if msg == B.pack "quit"
          then putStrLn ("echoed " ++ show n ++ " datagrams")
          else sendTo sock msg peer >> loop (n + 1 :: Int)
  loop 0
