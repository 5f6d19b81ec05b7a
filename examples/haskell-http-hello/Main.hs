-- An HTTP "hello" server with GHC's network package, unmodified. One
-- connection at a time; HTTP/1.0 or "Connection: close" ends it. Port from
-- the command line (default 80); stops after N connections if given.
import Control.Monad (unless, when)
import qualified Data.ByteString.Char8 as B
import Network.Socket
import Network.Socket.ByteString (recv, sendAll)
import System.Environment (getArgs)
import System.IO

body :: B.ByteString
body = B.pack "Hello from a unik guest (Haskell)!\n"

response :: B.ByteString
response = B.concat [ B.pack "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                    , B.pack (show (B.length body)), B.pack "\r\n\r\n", body ]

-- Answer each request on the connection until the client is done.
serve :: Socket -> B.ByteString -> IO ()
serve c pending = do
  chunk <- recv c 4096
  unless (B.null chunk) $ do
    let buf = pending <> chunk
        (request, rest) = B.breakSubstring (B.pack "\r\n\r\n") buf
    if B.null rest
      then serve c buf
      else do
        sendAll c response
        let closing = B.pack "HTTP/1.0" `B.isInfixOf` request
                      || B.pack "Connection: close" `B.isInfixOf` request
        unless closing (serve c (B.drop 4 rest))

main :: IO ()
main = do
  args <- getArgs
  let (port, limit) = case args of
        [p, n] -> (p, read n)
        [p] -> (p, -1)
        _ -> ("80", -1 :: Int)
  addr:_ <- getAddrInfo (Just defaultHints { addrFlags = [AI_PASSIVE], addrSocketType = Stream })
                        Nothing (Just port)
  s <- socket (addrFamily addr) Stream defaultProtocol
  setSocketOption s ReuseAddr 1
  bind s (addrAddress addr)
  listen s 64
  putStrLn ("http on port " ++ port)
  hFlush stdout
  let loop n = when (limit < 0 || n < limit) $ do
        (c, _) <- accept s
        serve c B.empty
        close c
        loop (n + 1)
  loop 0
  putStrLn ("served " ++ show limit ++ " connections")
