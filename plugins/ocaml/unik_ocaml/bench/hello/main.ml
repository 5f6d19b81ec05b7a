(* unik compare's hello (core/compare/spec.py): print one line and exit. *)
let () = print_endline "Hello, world!"
