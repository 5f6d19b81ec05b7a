-module(au_init_stop_status).
-export([start/0]).
start() ->
    io:format("stop with status 4~n"),
    init:stop(4),
    receive after 2000 -> ok end.
