-module(binarytrees).
-export([start/0]).
%% binary-trees (benchmarks game) at depth 14, single process.
start() ->
    T0 = erlang:monotonic_time(nanosecond),
    Max = 14,
    S = check(make(Max + 1)),
    Long = make(Max),
    Iter = loop(4, Max, []),
    L = check(Long),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("stretch ~p, ~p, long lived ~p~ncompute_ns ~p~n", [S, Iter, L, T1 - T0]).
loop(D, Max, Acc) when D > Max -> lists:reverse(Acc);
loop(D, Max, Acc) ->
    N = 1 bsl (Max - D + 4),
    C = sum(N, D, 0),
    loop(D + 2, Max, [{N, D, C} | Acc]).
sum(0, _, Acc) -> Acc;
sum(N, D, Acc) -> sum(N - 1, D, Acc + check(make(D))).
make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.
check({nil, nil}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).
