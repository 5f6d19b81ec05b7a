-module(gbtrees).
-export([start/0]).
start() ->
    T = lists:foldl(fun(K, Acc) -> gb_trees:insert(K, K * 10, Acc) end, gb_trees:empty(),
                    [5, 2, 8, 1, 9, 3]),
    io:format("~p~n", [gb_trees:to_list(T)]),
    io:format("~p~n", [gb_trees:lookup(8, T)]),
    io:format("~p~n", [gb_trees:lookup(7, T)]),
    io:format("~p~n", [gb_trees:size(T)]),
    io:format("~p~n", [gb_trees:keys(gb_trees:delete(2, T))]),
    io:format("~p~n", [gb_trees:smallest(T)]),
    io:format("~p~n", [gb_trees:largest(T)]),
    Big = lists:foldl(fun(K, Acc) -> gb_trees:enter(K, -K, Acc) end, gb_trees:empty(),
                      lists:seq(1, 5000)),
    io:format("~p~n", [gb_trees:get(4321, Big)]),
    S = gb_sets:from_list([c, a, b, a]),
    io:format("~p~n", [gb_sets:to_list(S)]),
    io:format("~p~n", [gb_sets:is_member(b, S)]).
