(* A MirageOS-style unikernel: unik calls [main] through [Unik.run], which
   then runs the tasks it started until none is left. *)

let ticker name period n =
  let open Unik.Task in
  let rec loop i =
    if i > n then return ()
    else
      let* () = sleep_ns (Unik.Time.of_ms period) in
      Unik.Console.logf "%s: tick %d" name i;
      loop (i + 1)
  in
  loop 1

let main () =
  Unik.Console.log "Hello from OCaml on unik!";
  let t0 = Unik.Time.now_ns () in
  Unik.Time.sleep_ns 10_000_000L;
  Printf.printf "slept %Ld ms\n%!" (Int64.div (Int64.sub (Unik.Time.now_ns ()) t0) 1_000_000L);
  Unik.Task.async (fun () -> ticker "fast" 10 3);
  Unik.Task.async (fun () -> ticker "slow" 25 2)
