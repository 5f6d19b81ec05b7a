-module(tailrec).
-export([start/0]).
start() ->
    io:format("~p~n", [count(0, 3000000)]),
    io:format("~p~n", [length(build(200000))]),
    io:format("~p~n", [deep(100000)]),
    io:format("~p~n", [lists:sum(lists:seq(1, 1000000))]).
count(N, 0) -> N;
count(N, K) -> count(N + 1, K - 1).
build(0) -> [];
build(N) -> [N | build(N - 1)].
deep(0) -> 0;
deep(N) -> 1 + deep(N - 1).
