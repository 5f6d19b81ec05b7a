(* Unik: the OCaml binding of unik.h. See unik.mli. The C side is unik_stubs.c. *)

exception Unsupported of string
exception Device_error of string

(* ---- C stubs (unik_stubs.c) ---- *)

external console_write_ : string -> int -> int -> unit = "unik_ml_console_write" [@@noalloc]

external clock_monotonic_ : unit -> (int64[@unboxed])
  = "unik_ml_clock_monotonic_byte" "unik_ml_clock_monotonic"
  [@@noalloc]

external clock_wall_ : unit -> (int64[@unboxed])
  = "unik_ml_clock_wall_byte" "unik_ml_clock_wall"
  [@@noalloc]

(* unik_yield(deadline, &ready): returns the ready set. *)
external yield_ : (int64[@unboxed]) -> (int64[@unboxed])
  = "unik_ml_yield_byte" "unik_ml_yield"
  [@@noalloc]

(* Device stubs return a result code (see code_* below) or, for reads, a length. *)
external net_acquire_ : string -> Bytes.t -> int = "unik_ml_net_acquire"
external net_write_ : int -> Bytes.t -> int -> int -> int = "unik_ml_net_write" [@@noalloc]
external net_read_ : int -> Bytes.t -> int -> int -> int = "unik_ml_net_read" [@@noalloc]
external block_acquire_ : string -> Bytes.t -> int = "unik_ml_block_acquire"

external block_flush_ : int -> int = "unik_ml_block_flush"
external block_io_ : bool -> int -> int -> Bytes.t -> int -> int -> int
  = "unik_ml_block_io_byte" "unik_ml_block_io"
  [@@noalloc]

let code_unsupported = -1 (* the core does not have the function at all *)
let code_ok = 0
let code_again = 1

let code_name = function
  | 1 -> "UNIK_AGAIN"
  | 2 -> "UNIK_EINVAL"
  | 3 -> "UNIK_EUNSPEC"
  | n -> Printf.sprintf "error %d" n

let acquire_error kind name = function
  | 3 -> Printf.sprintf "Unik.%s.acquire %S: no such device (UNIK_EUNSPEC)" kind name
  | rc -> Printf.sprintf "Unik.%s.acquire %S: %s" kind name (code_name rc)

module Console = struct
  let write s =
    flush stdout;
    flush stderr;
    console_write_ s 0 (String.length s)

  let log s = write (s ^ "\n")
  let logf fmt = Printf.ksprintf log fmt
end

(* ---- the scheduler: ready queue, timers, device waiters ---- *)

(* Timers: a binary min-heap on (deadline, sequence number). *)
type timer = { deadline : int64; seq : int; fire : unit -> unit }

let heap : timer array ref = ref [||]
let heap_len = ref 0
let timer_seq = ref 0

let earlier a b =
  let c = Int64.compare a.deadline b.deadline in
  c < 0 || (c = 0 && a.seq < b.seq)

let add_timer deadline fire =
  incr timer_seq;
  let t = { deadline; seq = !timer_seq; fire } in
  if !heap_len = Array.length !heap then begin
    let bigger = Array.make (max 16 (2 * !heap_len)) t in
    Array.blit !heap 0 bigger 0 !heap_len;
    heap := bigger
  end;
  let h = !heap in
  let i = ref !heap_len in
  incr heap_len;
  while !i > 0 && earlier t h.((!i - 1) / 2) do
    h.(!i) <- h.((!i - 1) / 2);
    i := (!i - 1) / 2
  done;
  h.(!i) <- t

let pop_timer () =
  let h = !heap in
  let top = h.(0) in
  decr heap_len;
  let last = h.(!heap_len) in
  let n = !heap_len in
  let i = ref 0 and fin = ref (n = 0) in
  while not !fin do
    let l = (2 * !i) + 1 in
    if l >= n then fin := true
    else begin
      let c = if l + 1 < n && earlier h.(l + 1) h.(l) then l + 1 else l in
      if earlier h.(c) last then begin
        h.(!i) <- h.(c);
        i := c
      end
      else fin := true
    end
  done;
  if n > 0 then h.(!i) <- last;
  h.(n) <- top (* keep the slot filled; the value is never read *);
  top

let ready : (unit -> unit) Queue.t = Queue.create ()

(* Device handle (0..63) -> callbacks waiting for it to have work, newest first. *)
let device_waiters : (unit -> unit) list array = Array.make 64 []
let nr_device_waiters = ref 0

(* Handles a unik_yield reported ready while nobody was looking (Time.sleep_ns). *)
let pending_ready = ref 0L

(* The first exception that escaped a background task. *)
let failure : (exn * Printexc.raw_backtrace) option ref = ref None

let record_failure e bt = if !failure = None then failure := Some (e, bt)

let check_failure () =
  match !failure with
  | Some (e, bt) ->
      failure := None;
      Printexc.raise_with_backtrace e bt
  | None -> ()

let guard f =
  try f () with e -> record_failure e (Printexc.get_raw_backtrace ())

let yield deadline =
  let set = Int64.logor (yield_ deadline) !pending_ready in
  pending_ready := 0L;
  if set <> 0L && !nr_device_waiters > 0 then
    for h = 0 to 63 do
      if Int64.logand set (Int64.shift_left 1L h) <> 0L && device_waiters.(h) <> [] then begin
        let ws = device_waiters.(h) in
        device_waiters.(h) <- [];
        nr_device_waiters := !nr_device_waiters - List.length ws;
        List.iter (fun w -> Queue.push w ready) (List.rev ws)
      end
    done

module Time = struct
  let now_ns () = clock_monotonic_ ()
  let wall_ns () = clock_wall_ ()
  let of_ms ms = Int64.mul (Int64.of_int ms) 1_000_000L
  let of_s s = Int64.of_float (s *. 1e9)

  let sleep_ns ns =
    let deadline = Int64.add (now_ns ()) ns in
    while Int64.compare (now_ns ()) deadline < 0 do
      pending_ready := Int64.logor !pending_ready (yield_ deadline)
    done
end

(* One round of the loop; false when nothing is left that could ever run.
   ~block:false never waits (another scheduler, e.g. Lwt's, has work). *)
let step ?(block = true) () =
  let n = Queue.length ready in
  for _ = 1 to n do
    guard (Queue.pop ready)
  done;
  check_failure ();
  if !heap_len > 0 then begin
    let now = Time.now_ns () in
    while !heap_len > 0 && Int64.compare !heap.(0).deadline now <= 0 do
      let t = pop_timer () in
      guard t.fire
    done;
    check_failure ()
  end;
  if not (Queue.is_empty ready) || not block then begin
    if !nr_device_waiters > 0 then yield 0L;
    not (Queue.is_empty ready && !heap_len = 0 && !nr_device_waiters = 0)
  end
  else if !heap_len > 0 then begin
    yield !heap.(0).deadline;
    true
  end
  else if !nr_device_waiters > 0 then begin
    yield Int64.max_int;
    true
  end
  else false

module Task = struct
  type 'a t = { mutable state : 'a state }

  and 'a state =
    | Pending of ('a outcome -> unit) list (* newest first *)
    | Resolved of 'a
    | Failed of exn * Printexc.raw_backtrace
    | Proxy of 'a t (* resolved by another promise: forward to it *)

  and 'a outcome = ('a, exn * Printexc.raw_backtrace) result

  let rec repr p =
    match p.state with
    | Proxy q ->
        let r = repr q in
        if r != q then p.state <- Proxy r;
        r
    | _ -> p

  let of_outcome = function
    | Ok v -> Resolved v
    | Error (e, bt) -> Failed (e, bt)

  let complete p o =
    let p = repr p in
    match p.state with
    | Pending cbs ->
        p.state <- of_outcome o;
        List.iter (fun f -> f o) (List.rev cbs)
    | _ -> invalid_arg "Unik.Task: a promise resolved twice"

  let on_outcome p f =
    let p = repr p in
    match p.state with
    | Pending cbs -> p.state <- Pending (f :: cbs)
    | Resolved v -> f (Ok v)
    | Failed (e, bt) -> f (Error (e, bt))
    | Proxy _ -> assert false

  (* q (pending, made here) takes the outcome of r: merge rather than chain, so
     that recursive loops of binds use constant stack and memory. *)
  let connect q r =
    let r = repr r in
    match r.state with
    | Pending rcbs -> (
        match q.state with
        | Pending qcbs ->
            r.state <- Pending (qcbs @ rcbs);
            q.state <- Proxy r
        | _ -> invalid_arg "Unik.Task: a promise resolved twice")
    | Resolved v -> complete q (Ok v)
    | Failed (e, bt) -> complete q (Error (e, bt))
    | Proxy _ -> assert false

  let return v = { state = Resolved v }
  let fail e = { state = Failed (e, Printexc.get_callstack 0) }
  let failed_bt e bt = { state = Failed (e, bt) }
  let pending () = { state = Pending [] }

  let apply f v = try f v with e -> failed_bt e (Printexc.get_raw_backtrace ())

  let bind p f =
    let p = repr p in
    match p.state with
    | Resolved v -> apply f v
    | Failed (e, bt) -> failed_bt e bt
    | Pending _ | Proxy _ ->
        let q = pending () in
        on_outcome p (function
          | Ok v -> connect q (apply f v)
          | Error eb -> complete q (Error eb));
        q

  let map f p = bind p (fun v -> return (f v))

  let catch f h =
    let p = apply f () in
    let p = repr p in
    match p.state with
    | Resolved _ -> p
    | Failed (e, _) -> apply h e
    | Pending _ | Proxy _ ->
        let q = pending () in
        on_outcome p (function
          | Ok v -> complete q (Ok v)
          | Error (e, _) -> connect q (apply h e));
        q

  let ( >>= ) = bind
  let ( >|= ) p f = map f p
  let ( let* ) = bind
  let ( let+ ) p f = map f p
  let ( and* ) a b = bind a (fun x -> map (fun y -> (x, y)) b)

  let wait () =
    let p = pending () in
    let resolved = ref false in
    ( p,
      fun v ->
        if !resolved then invalid_arg "Unik.Task.wait: resolved twice";
        resolved := true;
        complete p (Ok v) )

  let sleep_ns ns =
    let p, r = wait () in
    add_timer (Int64.add (Time.now_ns ()) ns) r;
    p

  let pause () =
    let p, r = wait () in
    Queue.push r ready;
    p

  let wait_device handle =
    if handle < 0 || handle > 63 then invalid_arg "Unik.Task.wait_device";
    let p, r = wait () in
    device_waiters.(handle) <- r :: device_waiters.(handle);
    incr nr_device_waiters;
    p

  let async f =
    let p = apply f () in
    on_outcome p (function Ok () -> () | Error (e, bt) -> record_failure e bt)

  let all ps =
    let rec go acc = function
      | [] -> return (List.rev acc)
      | p :: rest -> bind p (fun v -> go (v :: acc) rest)
    in
    go [] ps

  let join ps = map ignore (all ps)

  let peek p = match (repr p).state with Resolved v -> Some v | _ -> None
  let is_pending p = match (repr p).state with Pending _ -> true | _ -> false
end

let run main =
  main ();
  check_failure ();
  while step () do
    ()
  done

module Main = struct
  let run p =
    check_failure ();
    let rec loop () =
      match (Task.repr p).state with
      | Task.Resolved v -> v
      | Task.Failed (e, bt) -> Printexc.raise_with_backtrace e bt
      | Task.Pending _ | Task.Proxy _ ->
          (* the last round may have resolved it: look again before giving up *)
          if step () || not (Task.is_pending p) then loop ()
          else failwith "Unik.Main.run: the promise can never resolve (nothing left to run)"
    in
    loop ()
end

module Loop = struct
  let at deadline f = add_timer deadline f
  let step ?block () = step ?block ()
end

let handle_of buf = Int64.to_int (Bytes.get_int64_le buf 0)

(* Both device kinds: call the acquire stub, which fills a [size]-byte record
   (handle first), and turn its result code into the module's exceptions. *)
let acquire_into ~kind ~devices stub name size =
  let buf = Bytes.create size in
  let rc = stub name buf in
  if rc = code_unsupported then
    raise
      (Unsupported
         (Printf.sprintf "Unik.%s.acquire %S: this guest core has no %s devices yet" kind
            name devices));
  if rc <> code_ok then raise (Device_error (acquire_error kind name rc));
  buf

module Net = struct
  type t = int
  type info = { mac : string; mtu : int }

  let acquire name =
    let buf = acquire_into ~kind:"Net" ~devices:"network" net_acquire_ name 22 in
    ( handle_of buf,
      { mtu = Int64.to_int (Bytes.get_int64_le buf 8); mac = Bytes.sub_string buf 16 6 } )

  let write dev buf off len =
    if off < 0 || len < 0 || off + len > Bytes.length buf then invalid_arg "Unik.Net.write";
    let rc = net_write_ dev buf off len in
    if rc <> code_ok then raise (Device_error ("Unik.Net.write: " ^ code_name rc))

  let read dev buf =
    let n = net_read_ dev buf 0 (Bytes.length buf) in
    if n >= 0 then Some n
    else if n = -code_again then None
    else raise (Device_error ("Unik.Net.read: " ^ code_name (-n)))

  let rec read_wait dev buf =
    match read dev buf with
    | Some n -> Task.return n
    | None -> Task.bind (Task.wait_device dev) (fun () -> read_wait dev buf)
end

module Block = struct
  type t = int
  type info = { capacity : int64; block_size : int }

  let acquire name =
    let buf = acquire_into ~kind:"Block" ~devices:"block" block_acquire_ name 24 in
    ( handle_of buf,
      {
        capacity = Bytes.get_int64_le buf 8;
        block_size = Int64.to_int (Bytes.get_int64_le buf 16);
      } )

  let io write what dev offset buf off len =
    if off < 0 || len < 0 || off + len > Bytes.length buf then invalid_arg what;
    let rc = block_io_ write dev (Int64.to_int offset) buf off len in
    if rc <> code_ok then raise (Device_error (what ^ ": " ^ code_name rc))

  let read = io false "Unik.Block.read"
  let write = io true "Unik.Block.write"

  let flush dev =
    let rc = block_flush_ dev in
    if rc <> code_ok then raise (Device_error ("Unik.Block.flush: " ^ code_name rc))
end

let cmdline () =
  match Array.to_list Sys.argv with [] | [ _ ] -> "" | _ :: args -> String.concat " " args

let () =
  Printexc.register_printer (function
    | Unsupported m -> Some ("Unik.Unsupported: " ^ m)
    | Device_error m -> Some ("Unik.Device_error: " ^ m)
    | _ -> None)
