(* Boot-to-exit: print one line and exit. *)
let () = print_endline "Hello from OCaml"
