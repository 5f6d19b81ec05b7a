(* A key-value store on the block device, through Unik.Block: 512-byte
   records (64-byte key, 448-byte value) in an open hash table on xvda.
     unik run -- put KEY VALUE | get KEY | list
   A put is durable when it returns (Unik.Block.flush). *)
let rec_size = 512
let key_size = 64

let () =
  let dev, info = Unik.Block.acquire "xvda" in
  let slots = Int64.to_int info.capacity / rec_size in
  let buf = Bytes.create rec_size in
  let read i = Unik.Block.read dev (Int64.of_int (i * rec_size)) buf 0 rec_size in
  let field off len =
    let s = Bytes.sub_string buf off len in
    match String.index_opt s '\000' with Some k -> String.sub s 0 k | None -> s
  in
  let key () = field 0 key_size and value () = field key_size (rec_size - key_size) in
  let find k =
    let rec probe i n =
      if n = slots then None
      else begin
        read i;
        let here = key () in
        if here = "" || here = k then Some (i, here = k) else probe ((i + 1) mod slots) (n + 1)
      end
    in
    probe (Hashtbl.hash k mod slots) 0
  in
  match Array.to_list Sys.argv with
  | [ _; "put"; k; v ] when String.length k < key_size -> (
      match find k with
      | None -> prerr_endline "the store is full"; exit 1
      | Some (i, _) ->
          Bytes.fill buf 0 rec_size '\000';
          Bytes.blit_string k 0 buf 0 (String.length k);
          Bytes.blit_string v 0 buf key_size (min (String.length v) (rec_size - key_size - 1));
          Unik.Block.write dev (Int64.of_int (i * rec_size)) buf 0 rec_size;
          Unik.Block.flush dev;
          print_endline "ok")
  | [ _; "get"; k ] -> (
      match find k with
      | Some (_, true) -> print_endline (value ())
      | _ -> print_endline (k ^ ": not found"); exit 3)
  | [ _; "list" ] ->
      for i = 0 to slots - 1 do
        read i;
        if key () <> "" then Printf.printf "%s = %s\n" (key ()) (value ())
      done
  | _ -> prerr_endline "usage: put KEY VALUE | get KEY | list"; exit 2
