-module(links).
-export([start/0]).
start() ->
    process_flag(trap_exit, true),
    P = spawn_link(fun() -> receive go -> exit(boom) end end),
    P ! go,
    receive {'EXIT', P, Why} -> io:format("linked exit: ~p~n", [Why]) end,
    {Q, Ref} = spawn_monitor(fun() -> receive go -> ok end end),
    Q ! go,
    receive {'DOWN', Ref, process, Q, R} -> io:format("monitor: ~p~n", [R]) end,
    {W, Ref2} = spawn_monitor(fun() -> 1 = 2 end),
    receive {'DOWN', Ref2, process, W, {Reason, _}} -> io:format("crash: ~p~n", [Reason]) end,
    Dead = spawn(fun() -> ok end),
    receive after 10 -> ok end,
    Ref3 = monitor(process, Dead),
    receive {'DOWN', Ref3, _, _, R3} -> io:format("dead: ~p~n", [R3]) end,
    process_flag(trap_exit, false),
    Parent = self(),
    spawn(fun() ->
                  process_flag(trap_exit, true),
                  C = spawn_link(fun() -> receive after infinity -> ok end end),
                  exit(C, kill),
                  receive {'EXIT', C, K} -> Parent ! {killed, K} end
          end),
    receive {killed, K} -> io:format("~p~n", [K]) end,
    io:format("alive: ~p~n", [is_process_alive(self())]).
