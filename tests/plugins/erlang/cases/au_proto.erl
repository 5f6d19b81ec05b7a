-module(au_proto).
-export([start/0]).
%% A binary wire protocol: length-prefixed frames, flags as bits, varints, crc32 trailer.

-record(msg, {id, flags = [], topic, payload}).

start() ->
    Msgs = [#msg{id = 1, flags = [urgent], topic = <<"alerts">>, payload = <<"disk full">>},
            #msg{id = 300, flags = [], topic = <<"log">>, payload = term_to_binary({info, "ok"})},
            #msg{id = 70000, flags = [urgent, retained, compressed], topic = <<"ünï"/utf8>>, payload = <<>>}],
    Wire = iolist_to_binary([encode(M) || M <- Msgs]),
    io:format("~p bytes~n", [byte_size(Wire)]),
    io:format("~p~n", [Wire]),
    Decoded = decode_all(Wire),
    io:format("~p~n", [Decoded]),
    io:format("~p~n", [Decoded =:= Msgs]),
    <<Head:10/binary, _/binary>> = Wire,
    io:format("~p~n", [decode_all(<<Head/binary>>)]),
    Corrupt = <<Wire:20/binary, 0, (binary:part(Wire, 21, byte_size(Wire) - 21))/binary>>,
    io:format("~p~n", [catch decode_all(Corrupt)]),
    io:format("~p~n", [[varint(N) || N <- [0, 1, 127, 128, 300, 16384, 1 bsl 40]]]),
    io:format("~p~n", [[element(1, unvarint(varint(N))) || N <- [0, 1, 127, 128, 300, 16384, 1 bsl 40]]]),
    ok.

flags_bits(Fs) ->
    <<(b(urgent, Fs)):1, (b(retained, Fs)):1, (b(compressed, Fs)):1, 0:5>>.
b(F, Fs) -> case lists:member(F, Fs) of true -> 1; false -> 0 end.

encode(#msg{id = Id, flags = Fs, topic = T, payload = P}) ->
    Body = <<(varint(Id))/binary, (flags_bits(Fs))/binary, (byte_size(T)):8, T/binary, P/binary>>,
    Crc = erlang:crc32(Body),
    <<(byte_size(Body) + 4):16/big, Body/binary, Crc:32/little>>.

decode_all(<<>>) -> [];
decode_all(<<Len:16, Frame:Len/binary, Rest/binary>>) ->
    BodyLen = Len - 4,
    <<Body:BodyLen/binary, Crc:32/little>> = Frame,
    case erlang:crc32(Body) of
        Crc -> ok;
        Other -> throw({bad_crc, Crc, Other})
    end,
    {Id, <<U:1, R:1, C:1, 0:5, TL:8, T:TL/binary, P/binary>>} = unvarint(Body),
    Flags = [F || {1, F} <- [{U, urgent}, {R, retained}, {C, compressed}]],
    [#msg{id = Id, flags = Flags, topic = T, payload = P} | decode_all(Rest)];
decode_all(Partial) -> [{partial, byte_size(Partial)}].

varint(N) when N < 128 -> <<N>>;
varint(N) -> <<1:1, (N band 127):7, (varint(N bsr 7))/binary>>.

unvarint(<<0:1, N:7, Rest/binary>>) -> {N, Rest};
unvarint(<<1:1, N:7, Rest/binary>>) -> {M, R2} = unvarint(Rest), {N bor (M bsl 7), R2}.
