(* An HTTP "hello" server with OCaml's Unix module, unmodified. One
   connection at a time; HTTP/1.0 or "Connection: close" ends it. Port from
   the command line (default 80); stops after N connections if given. *)
let body = "Hello from a unik guest (OCaml)!\n"

let response =
  Printf.sprintf "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s"
    (String.length body) body

let contains s sub =
  let n = String.length sub in
  let rec at i = i + n <= String.length s && (String.sub s i n = sub || at (i + 1)) in
  at 0

let serve c =
  let buf = Bytes.create 4096 in
  let pending = Buffer.create 1024 in
  let rec loop () =
    let n = try Unix.read c buf 0 (Bytes.length buf) with Unix.Unix_error _ -> 0 in
    if n > 0 then begin
      Buffer.add_subbytes pending buf 0 n;
      let s = Buffer.contents pending in
      if contains s "\r\n\r\n" then begin
        Buffer.clear pending;
        ignore (Unix.write_substring c response 0 (String.length response));
        if not (contains s "HTTP/1.0" || contains s "Connection: close") then loop ()
      end
      else loop ()
    end
  in
  loop ();
  Unix.close c

let () =
  let port, limit =
    match Sys.argv with
    | [| _; p; n |] -> (int_of_string p, int_of_string n)
    | [| _; p |] -> (int_of_string p, -1)
    | _ -> (80, -1)
  in
  let s = Unix.socket Unix.PF_INET Unix.SOCK_STREAM 0 in
  Unix.setsockopt s Unix.SO_REUSEADDR true;
  Unix.bind s (Unix.ADDR_INET (Unix.inet_addr_any, port));
  Unix.listen s 64;
  Printf.printf "http on port %d\n%!" port;
  let rec accept_loop n =
    if limit < 0 || n < limit then begin
      let c, _ = Unix.accept s in
      serve c;
      accept_loop (n + 1)
    end
  in
  accept_loop 0;
  Printf.printf "served %d connections\n" limit
