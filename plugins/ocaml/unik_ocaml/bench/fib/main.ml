(* unik compare's fib (core/compare/spec.py): naive fib n (default 32),
   timed inside the program around the kernel only. *)
let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2)

let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 32 in
  let t0 = Unik.Time.now_ns () in
  let r = fib n in
  let t1 = Unik.Time.now_ns () in
  Printf.printf "fib(%d) = %d\ncompute_ns %Ld\n" n r (Int64.sub t1 t0)
