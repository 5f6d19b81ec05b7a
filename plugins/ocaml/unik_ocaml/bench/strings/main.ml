(* unik compare's strings (core/compare/spec.py): append "<i>," for i in
   0..n-1 to one Buffer, then count its '7' characters. *)
let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 1_000_000 in
  let t0 = Unik.Time.now_ns () in
  let b = Buffer.create 16 in
  for i = 0 to n - 1 do
    Buffer.add_string b (string_of_int i);
    Buffer.add_char b ','
  done;
  let s = Buffer.contents b in
  let sevens = ref 0 in
  String.iter (fun c -> if c = '7' then incr sevens) s;
  let t1 = Unik.Time.now_ns () in
  Printf.printf "length %d, sevens %d\ncompute_ns %Ld\n" (String.length s) !sevens
    (Int64.sub t1 t0)
