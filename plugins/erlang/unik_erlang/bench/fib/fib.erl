-module(fib).
-export([start/0]).
%% unik compare's fib: naive doubly recursive fib(n), n from the command line
%% (the guest's, or erl's after -extra), default 32.
fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
start() ->
    N = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 32 end,
    T0 = erlang:monotonic_time(nanosecond),
    R = fib(N),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("fib(~w) = ~w~ncompute_ns ~w~n", [N, R, T1 - T0]).
