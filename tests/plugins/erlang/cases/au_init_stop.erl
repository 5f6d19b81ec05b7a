-module(au_init_stop).
-export([start/0]).
start() ->
    io:format("stopping via init~n"),
    spawn(fun() -> timer:sleep(5000), io:format("too late~n") end),
    init:stop(),
    io:format("after init:stop call~n"),
    receive after 2000 -> ok end,
    io:format("should not print~n").
