-module(gc_stress).
-export([start/0]).
%% Lots of short-lived garbage next to a long-lived structure: the collector
%% must keep the live data intact across many collections.
start() ->
    Keep = [{N, integer_to_list(N), <<N:32>>} || N <- lists:seq(1, 2000)],
    R = churn(300, Keep, 0),
    io:format("~p~n", [R]),
    io:format("~p~n", [lists:nth(1234, Keep)]),
    io:format("~p~n", [length(Keep)]).
churn(0, _, Acc) -> Acc;
churn(N, Keep, Acc) ->
    Garbage = [{X, [X, X], <<X:64>>} || X <- lists:seq(1, 500)],
    S = lists:foldl(fun({X, _, _}, A) -> A + X end, 0, Garbage),
    {_, Str, _} = lists:nth(N rem 2000 + 1, Keep),
    churn(N - 1, Keep, Acc + S + length(Str)).
