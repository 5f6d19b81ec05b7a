-module(binarytrees).
-export([start/0]).
%% unik compare's binarytrees (the benchmarks game's binary-trees), one process;
%% maximum depth from the command line, default 16.
start() ->
    N = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 16 end,
    T0 = erlang:monotonic_time(nanosecond),
    Max = max(6, N),
    Stretch = Max + 1,
    io:format("stretch tree of depth ~w\t check: ~w~n", [Stretch, check(make(Stretch))]),
    Long = make(Max),
    loop(4, Max),
    io:format("long lived tree of depth ~w\t check: ~w~n", [Max, check(Long)]),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("compute_ns ~w~n", [T1 - T0]).
loop(D, Max) when D > Max -> ok;
loop(D, Max) ->
    Iter = 1 bsl (Max - D + 4),
    io:format("~w\t trees of depth ~w\t check: ~w~n", [Iter, D, sum(Iter, D, 0)]),
    loop(D + 2, Max).
sum(0, _, Acc) -> Acc;
sum(I, D, Acc) -> sum(I - 1, D, Acc + check(make(D))).
make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.
check({nil, nil}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).
