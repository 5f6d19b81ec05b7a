-module(au_monitors).
-export([start/0]).

start() ->
    {P, Ref} = spawn_monitor(fun() -> receive go -> exit(done_working) end end),
    P ! go,
    receive {'DOWN', Ref, process, P, R} -> io:format("down: ~p~n", [R]) end,
    Ref2 = monitor(process, P),
    receive {'DOWN', Ref2, process, P, R2} -> io:format("dead target: ~p~n", [R2]) end,
    register(named_worker, spawn(fun() -> receive stop -> ok end end)),
    Ref3 = monitor(process, named_worker),
    named_worker ! stop,
    receive {'DOWN', Ref3, process, Who, R3} -> io:format("named: ~p ~p~n", [Who, R3]) end,
    Ref4 = monitor(process, no_such_name),
    receive {'DOWN', Ref4, process, Who4, R4} -> io:format("noname: ~p ~p~n", [Who4, R4]) end,
    P5 = spawn(fun() -> receive _ -> exit(ignored) end end),
    Ref5 = monitor(process, P5),
    true = demonitor(Ref5, [flush]),
    P5 ! x,
    receive {'DOWN', Ref5, _, _, _} -> io:format("should not come~n") after 50 -> io:format("demonitored~n") end,
    %% many monitors and an error in the target
    Ps = [spawn_monitor(fun() -> timer:sleep(N * 5), 1 / (N - 2) end) || N <- [1, 2, 3]],
    Res = [receive {'DOWN', Rf, process, Pp, Rs} -> summarize(Rs) end || {Pp, Rf} <- Ps],
    io:format("~p~n", [Res]),
    P6 = spawn(fun() -> receive _ -> ok end end),
    R6 = monitor(process, P6),
    io:format("~p~n", [demonitor(R6, [info])]),
    io:format("~p~n", [demonitor(R6, [info])]),
    exit(P6, kill),
    Ref7 = erlang:monitor(process, P6),
    receive {'DOWN', Ref7, process, _, R7} -> io:format("killed: ~p~n", [R7]) end,
    ok.

summarize({badarith, [{M, F, A, _} | _]}) -> {badarith, M, is_function(F) orelse is_atom(F), is_integer(A) orelse is_list(A)};
summarize(R) -> R.
