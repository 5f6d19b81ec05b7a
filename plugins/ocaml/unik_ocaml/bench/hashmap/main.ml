(* unik compare's hashmap (core/compare/spec.py), with the standard Hashtbl:
   10 rounds of insert n int keys, look them up, remove the even ones; then n
   string keys. *)
let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 100_000 in
  let t0 = Unik.Time.now_ns () in
  let h = Hashtbl.create 16 in
  let s = ref 0 in
  for round = 1 to 10 do
    for i = 0 to n - 1 do Hashtbl.replace h (i * 7919) (i * round) done;
    for i = 0 to n - 1 do s := !s + Hashtbl.find h (i * 7919) done;
    for i = 0 to (n / 2) - 1 do Hashtbl.remove h (2 * i * 7919) done
  done;
  let hs = Hashtbl.create 16 in
  for i = 0 to n - 1 do Hashtbl.replace hs ("key" ^ string_of_int i) i done;
  for i = 0 to n - 1 do s := !s + Hashtbl.find hs ("key" ^ string_of_int i) done;
  let t1 = Unik.Time.now_ns () in
  Printf.printf "sum %d, %d + %d keys\n" !s (Hashtbl.length h) (Hashtbl.length hs);
  Printf.printf "compute_ns %Ld\n" (Int64.sub t1 t0)
