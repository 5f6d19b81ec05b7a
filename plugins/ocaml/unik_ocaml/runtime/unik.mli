(** Unik: the OCaml binding of unik's application ABI (unik.h), MirageOS style.

    A unikernel is one OCaml program on one vCPU: no threads, no signals. The
    only way to wait is {!Time.sleep_ns} (which blocks everything) or a
    promise of {!Task}, which lets other tasks run meanwhile. {!run} drives the
    tasks; when nothing is left to run, the program ends. *)

exception Unsupported of string
(** A service this build of the guest core does not offer (yet), e.g. network
    or block devices. The message says which. *)

exception Device_error of string
(** A device call failed: no such device, bad offset, … *)

(** The console (the serial port under QEMU, the Xen console ring on the
    runner). OCaml's [stdout] and [stderr] go to the same console. *)
module Console : sig
  val write : string -> unit
  (** Write bytes as they are (no newline). [stdout] is flushed first, so
      output stays in program order. *)

  val log : string -> unit
  (** Write a line. *)

  val logf : ('a, unit, string, unit) format4 -> 'a
  (** [logf fmt ...] writes a formatted line. *)
end

(** Clocks, in nanoseconds. *)
module Time : sig
  val now_ns : unit -> int64
  (** Monotonic clock: ns since an arbitrary point at boot; never goes back. *)

  val wall_ns : unit -> int64
  (** Wall clock: ns since the Unix epoch (0 when the host gave no wall clock). *)

  val sleep_ns : int64 -> unit
  (** Block the whole unikernel for at least [ns] nanoseconds. Inside tasks,
      use {!Task.sleep_ns}, which lets the others run. *)

  val of_ms : int -> int64
  val of_s : float -> int64
end

(** Cooperative tasks: promises resolved by timers, other tasks and devices.
    Callbacks run on the one vCPU, one at a time, never preempted. *)
module Task : sig
  type 'a t
  (** A promise of an ['a]. *)

  val return : 'a -> 'a t
  val fail : exn -> 'a t
  val bind : 'a t -> ('a -> 'b t) -> 'b t
  val map : ('a -> 'b) -> 'a t -> 'b t
  val catch : (unit -> 'a t) -> (exn -> 'a t) -> 'a t

  val ( >>= ) : 'a t -> ('a -> 'b t) -> 'b t
  val ( >|= ) : 'a t -> ('a -> 'b) -> 'b t
  val ( let* ) : 'a t -> ('a -> 'b t) -> 'b t
  val ( let+ ) : 'a t -> ('a -> 'b) -> 'b t
  val ( and* ) : 'a t -> 'b t -> ('a * 'b) t

  val wait : unit -> 'a t * ('a -> unit)
  (** A pending promise and the function that resolves it (once). *)

  val sleep_ns : int64 -> unit t
  (** Resolves when the monotonic clock has advanced by [ns]. Timers with the
      same deadline fire in the order they were set. *)

  val pause : unit -> unit t
  (** Resolves after every task that is ready now has run. *)

  val async : (unit -> unit t) -> unit
  (** Start a task in the background. An exception escaping it stops
      {!run} (it is re-raised there, with its backtrace). *)

  val join : unit t list -> unit t
  (** Resolves when all have resolved. *)

  val all : 'a t list -> 'a list t

  val peek : 'a t -> 'a option
  (** The value of a resolved promise. *)

  val is_pending : 'a t -> bool
end

val run : (unit -> unit) -> unit
(** [run main] calls [main ()], then runs the tasks it started until none is
    left (no ready task, no timer, no device wait). An exception escaping
    [main] or a task propagates (an uncaught exception prints its backtrace and
    exits with status 2). *)

(** Lwt_main-style. *)
module Main : sig
  val run : 'a Task.t -> 'a
  (** Run tasks until the promise resolves; return its value or raise its
      exception. Fails if nothing left could resolve it. *)
end

(** The loop underneath, for other schedulers (Unik_lwt drives Lwt with it). *)
module Loop : sig
  val at : int64 -> (unit -> unit) -> unit
  (** [at deadline f] calls [f ()] once the monotonic clock reaches [deadline]. *)

  val step : ?block:bool -> unit -> bool
  (** One round: run ready tasks and due timers, then (unless [~block:false])
      wait in [unik_yield] for the next deadline or device work. [false] when
      nothing is left that could ever run. *)
end

(** Network devices (Ethernet frames). *)
module Net : sig
  type t
  type info = { mac : string; (** 6 bytes *) mtu : int }

  val acquire : string -> t * info
  (** ["eth0"], ["eth1"], … (or [""] for the first); {!Device_error} when
      there is no such NIC (none given to [unik run], or a host without Xen
      devices, e.g. QEMU). Programs that want TCP/IP use OCaml's [Unix]
      sockets instead: the guest core's stack serves them. *)

  val write : t -> Bytes.t -> int -> int -> unit
  (** [write dev buf off len] sends one frame. *)

  val read : t -> Bytes.t -> int option
  (** One frame into the buffer, its length; [None] when none is queued. *)

  val read_wait : t -> Bytes.t -> int Task.t
  (** The next frame (waits for one). *)
end

(** Block devices. Offsets and lengths must be multiples of the block size. *)
module Block : sig
  type t
  type info = { capacity : int64; (** bytes *) block_size : int }

  val acquire : string -> t * info
  (** ["xvda"], ["xvdb"], … (or [""] for the first); {!Device_error} when
      there is no such disk. *)

  val read : t -> int64 -> Bytes.t -> int -> int -> unit
  (** [read dev offset buf off len]. *)

  val write : t -> int64 -> Bytes.t -> int -> int -> unit
  (** Synchronous: when it returns, a crash of the guest no longer loses it. *)

  val flush : t -> unit
  (** Durable on the host's storage too (blkif flush: fdatasync on the runner). *)
end

val cmdline : unit -> string
(** The guest's command line (the arguments after the program name). *)
