-module(fib).
-export([start/0]).
fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
start() ->
    io:format("fib(27) = ~p~n", [fib(27)]),
    io:format("~p~n", [[fib(N) || N <- lists:seq(0, 20)]]).
