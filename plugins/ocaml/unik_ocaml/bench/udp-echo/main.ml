(* unik compare's udp-echo (core/compare/spec.py): a UDP echo server and its
   client in one program, over 127.0.0.1 with OCaml's Unix module. The
   client sends n datagrams of 64 bytes, one at a time; the server echoes
   each; the client checks every echo. *)
let size = 64

let () =
  let n = if Array.length Sys.argv > 1 then int_of_string Sys.argv.(1) else 100_000 in
  let server = Unix.socket Unix.PF_INET Unix.SOCK_DGRAM 0 in
  let client = Unix.socket Unix.PF_INET Unix.SOCK_DGRAM 0 in
  Unix.bind server (Unix.ADDR_INET (Unix.inet_addr_loopback, 0));
  Unix.connect client (Unix.getsockname server);
  let out = Bytes.create size and inb = Bytes.create size and buf = Bytes.create 2048 in
  let t0 = Unik.Time.now_ns () in
  for i = 0 to n - 1 do
    Bytes.fill out 0 size (Char.chr (Char.code 'a' + i mod 26));
    Bytes.set_int32_le out 0 (Int32.of_int i);
    if Unix.send client out 0 size [] <> size then failwith "send";
    let got, from = Unix.recvfrom server buf 0 (Bytes.length buf) [] in
    if Unix.sendto server buf 0 got [] from <> got then failwith "echo";
    if Unix.recv client inb 0 size [] <> size || not (Bytes.equal inb out) then begin
      Printf.printf "datagram %d came back wrong\n" i;
      exit 1
    end
  done;
  let t1 = Unik.Time.now_ns () in
  Printf.printf "echoed %d datagrams of %d bytes\ncompute_ns %Ld\n" n size (Int64.sub t1 t0)
