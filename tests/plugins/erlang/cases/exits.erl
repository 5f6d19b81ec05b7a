-module(exits).
-export([start/0]).
start() ->
    process_flag(trap_exit, true),
    Self = self(),
    %% a chain: A links B; B crashes; A (not trapping) dies; we see A's exit
    A = spawn_link(fun() ->
                           spawn_link(fun() -> receive after 10 -> exit(chain) end end),
                           receive after infinity -> ok end
                   end),
    receive {'EXIT', A, R1} -> io:format("A died: ~p~n", [R1]) end,
    %% normal exits do not kill linked processes
    C = spawn_link(fun() -> ok end),
    receive {'EXIT', C, R2} -> io:format("C: ~p~n", [R2]) end,
    %% exit/2 with a reason to a trapping process becomes a message
    D = spawn(fun() -> process_flag(trap_exit, true),
                       Self ! ready,
                       receive {'EXIT', From, Why} -> Self ! {d_got, From =:= Self, Why} end
              end),
    receive ready -> ok end,
    exit(D, please),
    receive {d_got, FromSelf, Why} -> io:format("D got ~p ~p~n", [FromSelf, Why]) end,
    %% exit/2 with kill cannot be trapped
    E = spawn(fun() -> process_flag(trap_exit, true), Self ! ready,
                       receive after infinity -> ok end end),
    receive ready -> ok end,
    Ref = monitor(process, E),
    exit(E, kill),
    receive {'DOWN', Ref, process, E, R3} -> io:format("E: ~p~n", [R3]) end,
    %% unlink stops propagation
    F = spawn_link(fun() -> receive go -> exit(silent) end end),
    unlink(F),
    F ! go,
    receive {'EXIT', F, _} -> io:format("unexpected~n") after 50 -> io:format("unlinked~n") end,
    %% demonitor with flush
    G = spawn(fun() -> ok end),
    Ref2 = monitor(process, G),
    receive after 20 -> ok end,
    demonitor(Ref2, [flush]),
    receive {'DOWN', Ref2, _, _, _} -> io:format("flush failed~n") after 0 -> io:format("flushed~n") end.
