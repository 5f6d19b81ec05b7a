-module(ring).
-export([start/0]).
%% unik compare's ring (the benchmarks game's thread-ring): 503 processes in a
%% ring, a token passed n times (default 1,000,000); the process holding it
%% when it reaches 0 is printed (1-based).
-define(SIZE, 503).
start() ->
    N = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 1000000 end,
    Self = self(),
    T0 = erlang:monotonic_time(nanosecond),
    Pids = [spawn(fun() -> receive {next, Next} -> relay(I, Next, Self) end end)
            || I <- lists:seq(1, ?SIZE)],
    [P ! {next, Next} || {P, Next} <- lists:zip(Pids, tl(Pids) ++ [hd(Pids)])],
    hd(Pids) ! N,
    receive {done, Who} ->
        T1 = erlang:monotonic_time(nanosecond),
        io:format("~w~ncompute_ns ~w~n", [Who, T1 - T0])
    end.
relay(I, Next, Self) ->
    receive
        0 -> Self ! {done, I};
        K -> Next ! K - 1, relay(I, Next, Self)
    end.
