-module(au_deep).
-export([start/0]).
%% Deep non-tail recursion, long lists, big tuples, deep nesting.

start() ->
    io:format("~p~n", [len(lists:seq(1, 1000000))]),
    io:format("~p~n", [sum_nt(500000)]),
    L = lists:seq(1, 300000),
    io:format("~p~n", [lists:sum(lists:map(fun(X) -> X * 2 end, L))]),
    io:format("~p~n", [length(lists:append([L, L, L]))]),
    io:format("~p~n", [lists:foldl(fun(X, A) -> A + X rem 7 end, 0, L)]),
    T = list_to_tuple(lists:seq(1, 100000)),
    io:format("~p ~p~n", [tuple_size(T), element(99999, T)]),
    T2 = setelement(5, T, five),
    io:format("~p~n", [element(5, T2)]),
    Nest = lists:foldl(fun(I, Acc) -> {I, Acc} end, nil, lists:seq(1, 10000)),
    io:format("~p~n", [depth(Nest, 0)]),
    io:format("~P~n", [Nest, 6]),
    S = lists:flatten(lists:duplicate(10000, "ab")),
    io:format("~p~n", [length(S)]),
    B = list_to_binary(S),
    io:format("~p~n", [byte_size(B)]),
    io:format("~p~n", [length(string:split(B, "ba", all))]),
    io:format("~p~n", [ackermann(2, 300)]),
    ok.

len([]) -> 0;
len([_ | T]) -> 1 + len(T).
sum_nt(0) -> 0;
sum_nt(N) -> N + sum_nt(N - 1).
depth(nil, D) -> D;
depth({_, R}, D) -> depth(R, D + 1).
ackermann(0, N) -> N + 1;
ackermann(M, 0) -> ackermann(M - 1, 1);
ackermann(M, N) -> ackermann(M - 1, ackermann(M, N - 1)).
