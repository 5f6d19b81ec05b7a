-module(crash).
-export([start/0]).
start() ->

    lists:map(fun(X) -> 10 div X end, [1, 0]),
    io:format("never~n").
