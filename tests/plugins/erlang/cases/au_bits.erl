-module(au_bits).
-export([start/0]).

start() ->
    B = <<1:1, 0:1, 5:3, 7:3, 16#ABCD:16/little, -2:8/signed, -300:16/big-signed,
          3.5:32/float, -0.25:64/float-little, 1000:24/unsigned-little>>,
    io:format("~p~n", [B]),
    <<F1:1, F2:1, F3:3, F4:3, L:16/little, S1:8/signed, S2:16/signed, Fl:32/float,
      Fd:64/float-little, U24:24/little>> = B,
    io:format("~p~n", [[F1, F2, F3, F4, L, S1, S2, Fl, Fd, U24]]),
    <<Hi:4, Lo:4, Rest/bitstring>> = <<16#5A, 1:2>>,
    io:format("~p ~p ~p~n", [Hi, Lo, Rest]),
    io:format("~p~n", [bit_size(Rest)]),
    %% IPv4 header
    Hdr = <<4:4, 5:4, 0:8, 60:16, 1234:16, 0:3, 0:13, 64:8, 6:8, 0:16, 192, 168, 0, 1, 10, 0, 0, 2>>,
    <<Ver:4, IHL:4, _Tos:8, Len:16, Id:16, _Flags:3, _Frag:13, TTL:8, Proto:8, _Cs:16,
      Src:4/binary, Dst:4/binary>> = Hdr,
    io:format("~p~n", [{Ver, IHL, Len, Id, TTL, Proto, list_to_tuple(binary_to_list(Src)), Dst}]),
    %% comprehensions
    io:format("~p~n", [<< <<(X * 2)>> || <<X>> <= <<1, 2, 3>> >>]),
    io:format("~p~n", [[X || <<X:4>> <= <<16#1234:16>>]]),
    io:format("~p~n", [<< <<X:3>> || X <- [1, 2, 3, 4, 5] >>]),
    io:format("~p~n", [<< <<C>> || <<C>> <= <<"hello world">>, C =/= $o >>]),
    io:format("~p~n", [[{K, V} || <<K:8, V:16/little>> <= <<1, 2, 0, 3, 4, 0>>]]),
    %% size from a variable, binary/bits
    Data = <<3, "abcXYZ">>,
    <<N:8, Str:N/binary, Tail/binary>> = Data,
    io:format("~p ~p ~p~n", [N, Str, Tail]),
    %% utf
    U = <<"ğ"/utf8, 16#1F600/utf8, $a/utf16, 16#10400/utf16-little, $z/utf32>>,
    io:format("~p~n", [U]),
    <<C1/utf8, C2/utf8, C3/utf16, C4/utf16-little, C5/utf32>> = U,
    io:format("~p~n", [[C1, C2, C3, C4, C5]]),
    %% floats 16 bit and specials
    io:format("~p~n", [<<1.5:16/float>>]),
    <<H:16/float>> = <<16#3C00:16>>,
    io:format("~p~n", [H]),
    io:format("~p~n", [catch begin <<_:32/float>> = <<16#7F800000:32>>, ok end]),
    %% integer matches of arbitrary sizes
    Big = <<(1 bsl 100 + 12345):128>>,
    <<BigV:128>> = Big,
    io:format("~p ~p~n", [Big, BigV]),
    <<Neg:100/signed, _:28>> = <<-1:100, 0:28>>,
    io:format("~p~n", [Neg]),
    io:format("~p~n", [<<-1:5/signed-little-integer, 255:12/little>>]),
    io:format("~p~n", [bitsize_tests()]),
    io:format("~p~n", [parse_tlv(<<1, 2, "hi", 2, 0, 7, 1, 3, 9, 3, "abc">>)]),
    io:format("~p~n", [catch <<(-1):(-1)>>]),
    io:format("~p~n", [catch <<"abc":4/binary>>]),
    io:format("~p~n", [list_to_bitstring([<<1:3>>, <<1:5>>, 7])]),
    io:format("~p~n", [bitstring_to_list(<<1, 2, 3:4>>)]),
    io:format("~p~n", [erlang:binary_to_list(<<"abcdef">>, 2, 4)]),
    io:format("~p~n", [iolist_size([<<1, 2>>, [3, [4]], 5])]),
    io:format("~p~n", [split_binary(<<"hello">>, 2)]),
    ok.

bitsize_tests() ->
    [bit_size(<<>>), bit_size(<<1:7>>), byte_size(<<1:9>>), is_binary(<<1:7>>), is_bitstring(<<1:7>>)].

parse_tlv(<<>>) -> [];
parse_tlv(<<T, L, V:L/binary, R/binary>>) -> [{T, V} | parse_tlv(R)].
