-module(crash).
-export([start/0]).
start() ->
    io:format("before~n"),
    lists:map(fun(X) -> 10 div X end, [1, 0]),
    io:format("never~n").
