(* unik compare's ring (core/compare/spec.py), the benchmarks game's
   thread-ring on Unik's cooperative tasks: 503 tasks, each with a one-slot
   mailbox, pass a token n times; the one that receives 0 prints its number. *)
open Unik.Task

let size = 503

type mailbox = { mutable value : int option; mutable waiter : (int -> unit) option }

let send mb v =
  match mb.waiter with
  | Some wake -> mb.waiter <- None; wake v
  | None -> mb.value <- Some v

let recv mb =
  match mb.value with
  | Some v -> mb.value <- None; return v
  | None ->
      let p, wake = wait () in
      mb.waiter <- Some wake;
      p

let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 1_000_000 in
  let t0 = Unik.Time.now_ns () in
  let boxes = Array.init size (fun _ -> { value = None; waiter = None }) in
  let holder = ref 0 in
  let rec process i () =
    let* token = recv boxes.(i) in
    (* Hand over through the scheduler: a wake-up runs its task at once, so
       passing the token straight on would nest one call per pass. *)
    let* () = pause () in
    if token = 0 then (holder := i + 1; return ())
    else (send boxes.((i + 1) mod size) (token - 1); process i ())
  in
  Unik.run (fun () ->
      for i = 0 to size - 1 do async (process i) done;
      send boxes.(0) n);
  let t1 = Unik.Time.now_ns () in
  Printf.printf "%d\ncompute_ns %Ld\n" !holder (Int64.sub t1 t0)
