-module(au_procopts).
-export([start/0, job/1]).
%% spawn_opt options, priorities, timer:apply_after, send_after to a name,
%% process_info item lists, exit signals to self.

job(To) -> To ! {job_ran, self() =/= To}.

start() ->
    {P, R} = spawn_opt(fun() -> receive go -> exit(went) end end, [monitor]),
    P ! go,
    receive {'DOWN', R, process, P, Why} -> io:format("spawn_opt monitor: ~p~n", [Why]) end,
    P2 = spawn_opt(fun() -> receive stop -> ok end end, [link, {priority, high}]),
    io:format("~p~n", [process_info(P2, [status, message_queue_len, trap_exit, priority])]),
    P2 ! stop,
    receive {'EXIT', P2, normal} -> io:format("linked normal exit seen~n") end,
    io:format("~p~n", [process_flag(priority, low)]),
    io:format("~p~n", [process_flag(priority, normal)]),
    {ok, _} = timer:apply_after(10, ?MODULE, job, [self()]),
    receive {job_ran, B} -> io:format("apply_after ran: ~p~n", [B]) end,
    register(mailbox, self()),
    erlang:send_after(5, mailbox, to_name),
    receive to_name -> io:format("send_after to a name~n") end,
    Dead = spawn(fun() -> ok end),
    timer:sleep(5),
    io:format("~p ~p~n", [is_process_alive(Dead), process_info(Dead, status)]),
    io:format("~p~n", [catch process_info(self(), no_such_item)]),
    exit(self(), normal),
    io:format("still here after exit(self(), normal) while trapping~n"),
    receive {'EXIT', _, normal} = M -> io:format("~p~n", [element(3, M)]) after 100 -> io:format("no message~n") end,
    ok.
