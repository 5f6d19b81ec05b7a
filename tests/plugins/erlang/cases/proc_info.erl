-module(proc_info).
-export([start/0]).
start() ->
    self() ! a, self() ! b,
    io:format("~p~n", [process_info(self(), message_queue_len)]),
    P = spawn(fun() -> receive _ -> ok end end),
    io:format("~p~n", [is_process_alive(P)]),
    register(named_proc, P),
    io:format("~p~n", [process_info(P, registered_name)]),
    P ! go,
    receive after 20 -> ok end,
    io:format("~p~n", [is_process_alive(P)]),
    io:format("~p~n", [process_info(P, message_queue_len)]),
    io:format("~p~n", [lists:member(self(), processes())]),
    io:format("~p~n", [erlang:system_info(wordsize)]),
    flush().
flush() -> receive M -> io:format("~p~n", [M]), flush() after 0 -> ok end.
