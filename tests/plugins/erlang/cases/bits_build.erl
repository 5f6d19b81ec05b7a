-module(bits_build).
-export([start/0]).
start() ->
    io:format("~p~n", [<<1:4, 2:4, 3:16/little, -1:8/signed, 300:16>>]),
    io:format("~p~n", [<<"abc"/utf16>>]),
    io:format("~p~n", [<<16#1F600/utf8, 16#1F600/utf16, 16#41/utf32>>]),
    io:format("~p~n", [<<1.5/float-little, 2.0:32/float>>]),
    io:format("~p~n", [bit_size(<<1:1, 2:2, 3:3>>)]),
    B = <<0:1, 1:1, 0:6, 255>>,
    <<_:1, One:1, _/bits>> = B,
    io:format("~p ~p~n", [One, B]),
    io:format("~p~n", [<< <<X:3>> || X <- [1, 2, 3, 4, 5, 6, 7] >>]),
    io:format("~p~n", [iolist_to_binary([<<1>>, [2, 3], <<>>, 4])]),
    io:format("~p~n", [list_to_bitstring([<<1:2>>, <<3:3>>])]),
    io:format("~p~n", [<<(-1):64/signed-big>>]),
    <<X1:64/signed>> = <<(-1):64/signed-big>>,
    io:format("~p~n", [X1]),
    <<Y1:7/signed>> = <<127:7>>,
    io:format("~p~n", [Y1]),
    io:format("~p~n", [binary:split(<<"a,b,,c">>, <<",">>, [global])]),
    io:format("~p~n", [binary:match(<<"hello world">>, <<"o w">>)]),
    io:format("~p~n", [binary:matches(<<"abcabc">>, <<"bc">>)]),
    io:format("~p~n", [binary:copy(<<"ab">>, 3)]).
