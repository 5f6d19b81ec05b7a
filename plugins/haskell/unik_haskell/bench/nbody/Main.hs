-- unik compare's nbody (core/compare/spec.py): the benchmarks game's n-body
-- in the specification's order of floating-point operations (the 9th decimal
-- depends on it), on unboxed mutable arrays.
import Control.Monad (forM_, when)
import Data.Array.Base (unsafeRead, unsafeWrite)
import Data.Array.IO (IOUArray, newListArray)
import GHC.Clock (getMonotonicTimeNSec)
import System.Environment (getArgs)
import Text.Printf (printf)

type Vec = IOUArray Int Double

nbodies :: Int
nbodies = 5

solarMass, daysPerYear :: Double
solarMass = 4 * pi * pi
daysPerYear = 365.24

-- x y z vx vy vz mass of the sun, Jupiter, Saturn, Uranus, Neptune
initial :: [[Double]]
initial =
  [ [0, 0, 0, 0, 0, 0, 1]
  , [ 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01
    , 1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05
    , 9.54791938424326609e-04 ]
  , [ 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01
    , -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05
    , 2.85885980666130812e-04 ]
  , [ 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01
    , 2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05
    , 4.36624404335156298e-05 ]
  , [ 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01
    , 2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05
    , 5.15138902046611451e-05 ]
  ]

data Bodies = Bodies { bx, by, bz, bvx, bvy, bvz, bm :: !Vec }

rd :: Vec -> Int -> IO Double
rd = unsafeRead

wr :: Vec -> Int -> Double -> IO ()
wr = unsafeWrite

energy :: Bodies -> IO Double
energy b = go 0 0
  where
    go i e
      | i == nbodies = pure e
      | otherwise = do
          m <- rd (bm b) i
          vx <- rd (bvx b) i
          vy <- rd (bvy b) i
          vz <- rd (bvz b) i
          let e1 = e + 0.5 * m * (vx * vx + vy * vy + vz * vz)
          e2 <- pairs i (i + 1) m e1
          go (i + 1) e2
    pairs i j m e
      | j == nbodies = pure e
      | otherwise = do
          dx <- (-) <$> rd (bx b) i <*> rd (bx b) j
          dy <- (-) <$> rd (by b) i <*> rd (by b) j
          dz <- (-) <$> rd (bz b) i <*> rd (bz b) j
          mj <- rd (bm b) j
          pairs i (j + 1) m (e - (m * mj) / sqrt (dx * dx + dy * dy + dz * dz))

advance :: Bodies -> Double -> IO ()
advance b dt = do
  forM_ [0 .. nbodies - 1] $ \i ->
    forM_ [i + 1 .. nbodies - 1] $ \j -> do
      dx <- (-) <$> rd (bx b) i <*> rd (bx b) j
      dy <- (-) <$> rd (by b) i <*> rd (by b) j
      dz <- (-) <$> rd (bz b) i <*> rd (bz b) j
      let d2 = dx * dx + dy * dy + dz * dz
          mag = dt / (d2 * sqrt d2)
      mi <- rd (bm b) i
      mj <- rd (bm b) j
      upd (bvx b) i (\v -> v - dx * mj * mag)
      upd (bvy b) i (\v -> v - dy * mj * mag)
      upd (bvz b) i (\v -> v - dz * mj * mag)
      upd (bvx b) j (\v -> v + dx * mi * mag)
      upd (bvy b) j (\v -> v + dy * mi * mag)
      upd (bvz b) j (\v -> v + dz * mi * mag)
  forM_ [0 .. nbodies - 1] $ \i -> do
    rd (bvx b) i >>= \v -> upd (bx b) i (+ dt * v)
    rd (bvy b) i >>= \v -> upd (by b) i (+ dt * v)
    rd (bvz b) i >>= \v -> upd (bz b) i (+ dt * v)
  where
    upd a i f = rd a i >>= wr a i . f

main :: IO ()
main = do
  args <- getArgs
  let n = case args of { (a : _) -> read a; _ -> 1000000 } :: Int
  t0 <- getMonotonicTimeNSec
  let column :: Int -> IO Vec
      column k = newListArray (0, nbodies - 1) (map (!! k) initial)
  b <- Bodies <$> column 0 <*> column 1 <*> column 2 <*> column 3 <*> column 4
               <*> column 5 <*> column 6
  let scale a i f = rd a i >>= wr a i . f
  moms <- mapM (\i -> do
    scale (bvx b) i (* daysPerYear)
    scale (bvy b) i (* daysPerYear)
    scale (bvz b) i (* daysPerYear)
    scale (bm b) i (* solarMass)
    m <- rd (bm b) i
    (,,) <$> ((* m) <$> rd (bvx b) i) <*> ((* m) <$> rd (bvy b) i) <*> ((* m) <$> rd (bvz b) i))
    [0 .. nbodies - 1]
  let sumL = foldl (+) 0
      (px, py, pz) = (sumL [x | (x, _, _) <- moms], sumL [y | (_, y, _) <- moms],
                      sumL [z | (_, _, z) <- moms])
  wr (bvx b) 0 (-px / solarMass)
  wr (bvy b) 0 (-py / solarMass)
  wr (bvz b) 0 (-pz / solarMass)
  before <- energy b
  let loop k = when (k < n) (advance b 0.01 >> loop (k + 1))
  loop 0
  after <- energy b
  t1 <- getMonotonicTimeNSec
  printf "%.9f\n%.9f\n" before after
  putStrLn ("compute_ns " ++ show (t1 - t0))
