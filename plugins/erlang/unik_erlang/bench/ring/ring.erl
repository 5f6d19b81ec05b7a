-module(ring).
-export([start/0]).
%% A ring of 1000 processes passing one message around 100 times.
start() ->
    T0 = erlang:monotonic_time(nanosecond),
    N = 1000, Rounds = 100,
    Self = self(),
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> relay(Next) end) end, Self,
                        lists:seq(1, N - 1)),
    First ! Rounds * N,
    wait(First),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("ring done~ncompute_ns ~p~n", [T1 - T0]).
relay(Next) ->
    receive
        0 -> Next ! 0;
        K -> Next ! K - 1, relay(Next)
    end.
wait(First) ->
    receive
        0 -> ok;
        K -> First ! K - 1, wait(First)
    end.
