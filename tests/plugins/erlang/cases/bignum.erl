-module(bignum).
-export([start/0]).
fact(0) -> 1;
fact(N) -> N * fact(N - 1).
start() ->
    F = fact(100),
    io:format("~p~n", [F]),
    io:format("~p~n", [F div fact(98)]),
    io:format("~p~n", [F rem 1000000007]),
    io:format("~p~n", [-F div 7]),
    io:format("~p~n", [(-F) rem 7]),
    io:format("~p~n", [1 bsl 100]),
    io:format("~p~n", [(1 bsl 100) bsr 37]),
    io:format("~p~n", [-(1 bsl 80) bsr 3]),
    io:format("~p~n", [(1 bsl 70) band ((1 bsl 70) - 1 - 255)]),
    io:format("~p~n", [(1 bsl 70) bor 5]),
    io:format("~p~n", [(1 bsl 70) bxor -1]),
    io:format("~p~n", [bnot (1 bsl 65)]),
    io:format("~p~n", [integer_to_list(F, 16)]),
    io:format("~p~n", [list_to_integer("-123456789012345678901234567890")]),
    io:format("~p~n", [abs(-(1 bsl 64))]),
    io:format("~p ~p~n", [1 bsl 64 > 1 bsl 63, (1 bsl 64) == (1 bsl 64)]),
    io:format("~p~n", [float(1 bsl 64)]),
    io:format("~p~n", [(1 bsl 62) + (1 bsl 62)]),
    io:format("~p~n", [9223372036854775807 * 9223372036854775807]),
    io:format("~p~n", [trunc(1.0e20)]),
    io:format("~p~n", [(1 bsl 64) - (1 bsl 64)]).
