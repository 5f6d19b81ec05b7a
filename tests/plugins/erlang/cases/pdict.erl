-module(pdict).
-export([start/0]).
start() ->
    undefined = put(a, 1),
    1 = put(a, 2),
    put(b, [x]),
    io:format("~p ~p ~p~n", [get(a), get(b), get(c)]),
    io:format("~p~n", [lists:sort(get())]),
    io:format("~p~n", [lists:sort(get_keys())]),
    io:format("~p~n", [erase(a)]),
    io:format("~p~n", [get(a)]),
    [put(K, K * 2) || K <- lists:seq(1, 100)],
    io:format("~p~n", [lists:sum([get(K) || K <- lists:seq(1, 100)])]).
