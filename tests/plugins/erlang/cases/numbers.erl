-module(numbers).
-export([start/0]).
start() ->
    io:format("~p~n", [[X div 3 || X <- [-7, -6, 6, 7]]]),
    io:format("~p~n", [[X rem 3 || X <- [-7, -6, 6, 7]]]),
    io:format("~p~n", [[1 bsl 60, 1 bsl 61, (1 bsl 61) - 1, -(1 bsl 60) - 1]]),
    io:format("~p~n", [1152921504606846975 + 1]),
    io:format("~p~n", [-1152921504606846976 - 1]),
    io:format("~p~n", [576460752303423488 * 4]),
    io:format("~p~n", [(1 bsl 100) div (1 bsl 40)]),
    io:format("~p~n", [(1 bsl 100) rem 1000]),
    io:format("~p~n", [pow(3, 100)]),
    io:format("~p~n", [pow(-2, 63)]),
    io:format("~p~n", [pow(7, 40) div pow(7, 38)]),
    io:format("~p~n", [integer_to_list(pow(2, 70), 2)]),
    io:format("~p~n", [lists:sum([pow(2, N) || N <- lists:seq(0, 100)])]),
    io:format("~p~n", [(1 bsl 64) band 16#FFFF]),
    io:format("~p~n", [-(1 bsl 64) bsr 60]),
    io:format("~p~n", [1 bsl 64 =:= 18446744073709551616]),
    io:format("~p~n", [gcd(pow(2, 80) * 3, pow(2, 70) * 9)]).
pow(_, 0) -> 1;
pow(B, N) -> B * pow(B, N - 1).
gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).
