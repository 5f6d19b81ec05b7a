-- Hello: image size and boot cost.
main :: IO ()
main = putStrLn "Hello from Haskell"
