-module(au_halt_flush).
-export([start/0]).
start() ->
    io:format("some output ~p~n", [lists:seq(1, 5)]),
    spawn(fun() -> timer:sleep(1000), io:format("never printed~n") end),
    halt(7, [{flush, true}]).
