(** Lwt on unik: linked in when unik.toml's [ocaml] packages list "lwt"
    (Debian: liblwt-ocaml-dev). Only Lwt's pure core is used: no Lwt_unix, no
    Lwt_engine. *)

val run : 'a Lwt.t -> 'a
(** [Lwt_main.run] over [unik_yield]: run until the promise resolves, driving
    Lwt's paused promises and {!Unik}'s timers, tasks and devices together. *)

val sleep_ns : int64 -> unit Lwt.t
(** Resolves after [ns] nanoseconds of the monotonic clock. *)

val sleep : float -> unit Lwt.t
(** [Lwt_unix.sleep]-style, in seconds. *)
