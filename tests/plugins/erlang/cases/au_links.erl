-module(au_links).
-export([start/0]).

start() ->
    process_flag(trap_exit, true),
    Reasons = [normal, shutdown, {shutdown, cleanup}, custom_reason, kill_me],
    lists:foreach(fun(R) ->
        P = spawn_link(fun() -> receive go -> die(R) end end),
        P ! go,
        receive {'EXIT', P, Why} -> io:format("~p -> ~p~n", [R, Why])
        after 1000 -> io:format("~p -> timeout~n", [R])
        end
    end, Reasons),
    %% exit/2 from outside
    P2 = spawn_link(fun() -> receive never -> ok end end),
    exit(P2, {custom, 1}),
    receive {'EXIT', P2, W2} -> io:format("exit/2 -> ~p~n", [W2]) end,
    P3 = spawn_link(fun() -> process_flag(trap_exit, true), receive M -> exit({got, M}) end end),
    exit(P3, please),
    receive {'EXIT', P3, W3} -> io:format("trapper -> ~p~n", [W3]) end,
    P4 = spawn_link(fun() -> process_flag(trap_exit, true), receive never -> ok end end),
    exit(P4, kill),
    receive {'EXIT', P4, W4} -> io:format("kill -> ~p~n", [W4]) end,
    %% a chain: a -> b -> c, c crashes, b (not trapping) dies, a sees it
    Me = self(),
    A = spawn(fun() ->
        process_flag(trap_exit, true),
        B = spawn_link(fun() ->
            spawn_link(fun() -> timer:sleep(10), exit(chain_broken) end),
            receive never -> ok end
        end),
        receive {'EXIT', B, Rb} -> Me ! {chain, Rb} end
    end),
    receive {chain, Rc} -> io:format("chain -> ~p~n", [Rc]) end,
    io:format("a alive: ~p~n", [is_process_alive(A)]),
    %% unlink stops propagation
    P5 = spawn_link(fun() -> receive go -> exit(boom) end end),
    unlink(P5),
    P5 ! go,
    receive {'EXIT', P5, _} -> io:format("unexpected~n") after 50 -> io:format("unlinked ok~n") end,
    %% link to a dead process
    Dead = spawn(fun() -> ok end),
    timer:sleep(5),
    link(Dead),
    receive {'EXIT', Dead, Rd} -> io:format("dead link -> ~p~n", [Rd]) after 100 -> io:format("no exit~n") end,
    %% normal exit signal ignored by non-trapping
    P6 = spawn(fun() -> receive stop -> ok end end),
    exit(P6, normal),
    timer:sleep(5),
    io:format("normal to non-trapping alive: ~p~n", [is_process_alive(P6)]),
    P6 ! stop,
    %% spawn_link error in child with stack
    P7 = spawn_link(fun() -> 1 = 2 end),
    receive {'EXIT', P7, {{badmatch, 2}, [_ | _]}} -> io:format("badmatch with stack~n") end,
    process_flag(trap_exit, false),
    io:format("~p~n", [process_flag(trap_exit, false)]),
    ok.

die(normal) -> ok;
die(kill_me) -> exit(kill);
die(R) -> exit(R).
