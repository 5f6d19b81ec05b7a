-module(fib).
-export([start/0]).
%% fib(27), timed inside the program (compute_ns excludes boot and VM start).
fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
start() ->
    T0 = erlang:monotonic_time(nanosecond),
    R = fib(27),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("fib(27) = ~p~ncompute_ns ~p~n", [R, T1 - T0]).
