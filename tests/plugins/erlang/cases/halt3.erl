-module(halt3).
-export([start/0]).
start() ->
    io:format("about to halt~n"),
    erlang:halt(3).
