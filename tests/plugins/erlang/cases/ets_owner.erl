-module(ets_owner).
-export([start/0]).
%% A named table goes with the process that made it; then the name is free.
start() ->
    Self = self(),
    P = spawn(fun() -> ets:new(owned, [named_table, public]), ets:insert(owned, {k, 1}),
                       Self ! made, receive stop -> ok end end),
    receive made -> ok end,
    io:format("~p~n", [ets:lookup(owned, k)]),
    Ref = monitor(process, P),
    P ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    io:format("~p~n", [ets:info(owned, size)]),
    T = ets:new(owned, [named_table]),
    io:format("~p~n", [T]).
