-module(au_badmatch_crash).
-export([start/0]).
start() ->
    {ok, V} = lookup(missing),
    io:format("~p~n", [V]).
lookup(K) -> {error, {not_found, K}}.
