-module(maplist).
-export([start/0]).
%% Maps and lists: a 20k-key map built and folded, lists sorted and folded.
start() ->
    T0 = erlang:monotonic_time(nanosecond),
    Keys = [(K * 7919) rem 100003 || K <- lists:seq(1, 20000)],
    M = lists:foldl(fun(K, Acc) -> Acc#{K => K * 2} end, #{}, Keys),
    S1 = maps:fold(fun(_K, V, A) -> A + V end, 0, M),
    Sorted = lists:sort(Keys),
    S2 = lists:foldl(fun(X, A) -> (A + X) rem 1000000007 end, 0, Sorted),
    L = lists:map(fun(X) -> X * X end, lists:filter(fun(X) -> X rem 3 =:= 0 end, Sorted)),
    S3 = length(lists:usort(L)),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("~p ~p ~p ~p~ncompute_ns ~p~n", [map_size(M), S1, S2, S3, T1 - T0]).
