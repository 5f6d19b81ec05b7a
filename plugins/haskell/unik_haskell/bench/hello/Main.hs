-- unik compare's hello (core/compare/spec.py): print one line and exit.
main :: IO ()
main = putStrLn "Hello, world!"
