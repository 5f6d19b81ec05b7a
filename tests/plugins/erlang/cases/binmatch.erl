-module(binmatch).
-export([start/0]).
start() ->
    B = <<1:3, 5:5, 255, "abc", -2:16/signed, 3.5/float, 16#ABCD:16/little>>,
    io:format("~p~n", [B]),
    <<A:3, C:5, D, Str:3/binary, S:16/signed, F/float, L:16/little>> = B,
    io:format("~p~n", [{A, C, D, Str, S, F, L}]),
    <<X:4, Rest/bits>> = <<16#F0, 16#0F>>,
    io:format("~p ~p ~p~n", [X, Rest, bit_size(Rest)]),
    io:format("~p~n", [<<1:1, 0:1, 1:1>>]),
    io:format("~p~n", [[N || <<N:4>> <= <<16#12, 16#34>>]]),
    io:format("~p~n", [<< <<(N * 2)>> || N <- [1, 2, 3] >>]),
    io:format("~p~n", [parse(<<3, "foo", 2, "hi", 0>>)]),
    Utf = <<"héllo"/utf8>>,
    io:format("~p ~p~n", [Utf, [Cp || <<Cp/utf8>> <= Utf]]),
    io:format("~p~n", [binary_to_list(<<"xyz">>)]),
    io:format("~p~n", [list_to_binary([1, [2, <<3, 4>>], 5])]),
    io:format("~p~n", [split_binary(<<"abcdef">>, 2)]),
    io:format("~p~n", [binary:part(<<"abcdef">>, 1, 3)]),
    io:format("~p~n", [iolist_size([<<"ab">>, "c", [$d]])]),
    io:format("~p~n", [<<(1 bsl 70):80>>]),
    <<Big:80>> = <<(1 bsl 70):80>>,
    io:format("~p~n", [Big]),
    io:format("~p~n", [case <<"abc">> of <<"ab", Y>> -> Y; _ -> no end]),
    io:format("~p~n", [byte_size(<<1:9>>)]),
    io:format("~p~n", [term_order([<<2>>, <<1, 2>>, <<1>>, <<>>])]),
    io:format("~p~n", [<< <<B1:1>> || B1 <- [1, 0, 1, 1, 0, 0, 1, 0, 1] >>]).
parse(<<0>>) -> [];
parse(<<N, W:N/binary, R/binary>>) -> [W | parse(R)].
term_order(L) -> lists:sort(L).
