(* unik compare's http-hello (core/compare/spec.py): an HTTP/1.1 server and
   a keep-alive client in one program, over 127.0.0.1 with OCaml's Unix
   module (TCP). The client sends n GET requests on one connection, one at
   a time; the server reads each up to its blank line and answers
   "Hello, world!" with a Content-Length; the client reads each answer. *)
let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

let response =
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, world!"

let rec send_all fd s off len =
  if len > 0 then begin
    let w = Unix.write_substring fd s off len in
    send_all fd s (off + w) (len - w)
  end

let read_exactly fd buf n =
  let rec go got =
    if got < n then begin
      let r = Unix.read fd buf got (n - got) in
      if r = 0 then failwith "read: end of stream";
      go (got + r)
    end
  in
  go 0

(* The server's side: read a request up to its blank line. *)
let read_request fd buf =
  let rec go got =
    let r = Unix.read fd buf got (Bytes.length buf - got) in
    if r = 0 then failwith "read request: end of stream";
    let got = got + r in
    let rec blank i = i + 3 < got && (Bytes.sub_string buf i 4 = "\r\n\r\n" || blank (i + 1)) in
    if not (blank (max 0 (got - r - 3))) then go got
  in
  go 0

let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 20_000 in
  let lis = Unix.socket Unix.PF_INET Unix.SOCK_STREAM 0 in
  Unix.bind lis (Unix.ADDR_INET (Unix.inet_addr_loopback, 0));
  Unix.listen lis 16;
  let client = Unix.socket Unix.PF_INET Unix.SOCK_STREAM 0 in
  Unix.connect client (Unix.getsockname lis);
  let server, _ = Unix.accept lis in
  Unix.setsockopt client Unix.TCP_NODELAY true;
  Unix.setsockopt server Unix.TCP_NODELAY true;
  let req = Bytes.create 1024 and rsp = Bytes.create (String.length response) in
  let body = ref 0 in
  let t0 = Unik.Time.now_ns () in
  for i = 0 to n - 1 do
    send_all client request 0 (String.length request);
    read_request server req;
    send_all server response 0 (String.length response);
    read_exactly client rsp (String.length response);
    if Bytes.to_string rsp <> response then begin
      Printf.printf "response %d came back wrong\n" i;
      exit 1
    end;
    body := !body + 13
  done;
  let t1 = Unik.Time.now_ns () in
  Printf.printf "served %d requests, %d body bytes\ncompute_ns %Ld\n" n !body (Int64.sub t1 t0);
  Unix.close client;
  Unix.close server;
  Unix.close lis
