(* Lwt driven by Unik's loop. See unik_lwt.mli. *)

let sleep_ns ns =
  let p, r = Lwt.wait () in
  Unik.Loop.at (Int64.add (Unik.Time.now_ns ()) ns) (fun () -> Lwt.wakeup_later r ());
  p

let sleep s = sleep_ns (Unik.Time.of_s s)

let run p =
  let rec loop () =
    Lwt.wakeup_paused ();
    match Lwt.state p with
    | Lwt.Return v -> v
    | Lwt.Fail e -> raise e
    | Lwt.Sleep ->
        let paused = Lwt.paused_count () > 0 in
        (* the last round may have resolved it: look again before giving up *)
        if Unik.Loop.step ~block:(not paused) () || paused || not (Lwt.is_sleeping p)
        then loop ()
        else failwith "Unik_lwt.run: the promise can never resolve (nothing left to run)"
  in
  loop ()
