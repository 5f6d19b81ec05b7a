-module(registry).
-export([start/0]).
start() ->
    Pid = spawn(fun loop/0),
    true = register(server, Pid),
    io:format("~p~n", [whereis(server) =:= Pid]),
    server ! {self(), ping},
    receive {pong, From} -> io:format("pong from server: ~p~n", [From =:= Pid]) end,
    io:format("~p~n", [whereis(nobody)]),
    io:format("~p~n", [element(1, element(2, catch nobody ! hi))]),
    server ! stop,
    receive after 20 -> ok end,
    io:format("~p~n", [whereis(server)]).
loop() ->
    receive
        {From, ping} -> From ! {pong, self()}, loop();
        stop -> ok
    end.
