(* A UDP echo server with OCaml's Unix module, unmodified: the guest core
   serves its socket calls. Port from the command line (default 7); stops
   on "quit". *)
let () =
  let port = match Sys.argv with [| _; p |] -> int_of_string p | _ -> 7 in
  let s = Unix.socket Unix.PF_INET Unix.SOCK_DGRAM 0 in
  Unix.bind s (Unix.ADDR_INET (Unix.inet_addr_any, port));
  Printf.printf "udp echo on port %d\n%!" port;
  let buf = Bytes.create 2048 in
  let rec loop count =
    let n, from = Unix.recvfrom s buf 0 (Bytes.length buf) [] in
    if Bytes.sub_string buf 0 n = "quit" then count
    else begin
      ignore (Unix.sendto s buf 0 n [] from);
      loop (count + 1)
    end
  in
  let count = loop 0 in
  Printf.printf "echoed %d datagrams\n" count
