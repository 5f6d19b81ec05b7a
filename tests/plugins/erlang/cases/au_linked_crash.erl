-module(au_linked_crash).
-export([start/0]).
%% A linked worker crashes; the entry (which traps exits under erl -s, as in unik) sees it.
start() ->
    W = spawn_link(fun() -> timer:sleep(10), erlang:error({worker_failed, 3}) end),
    receive
        {'EXIT', W, {Reason, [Top | _]}} ->
            io:format("worker exit: ~p at ~p~n", [Reason, element(1, Top)])
    after 1000 -> io:format("no exit seen~n")
    end,
    io:format("trap_exit: ~p~n", [process_flag(trap_exit, false)]),
    ok.
