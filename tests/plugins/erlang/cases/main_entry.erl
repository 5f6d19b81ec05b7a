-module(main_entry).
-export([start/0]).
%% An entry that returns while another process still has work: the VM (like
%% erl with -s ... -s init stop only after start returns) waits for it here
%% because start/0 itself waits for the worker's answer.
start() ->
    Self = self(),
    spawn(fun() -> receive after 30 -> Self ! {done, lists:sum(lists:seq(1, 100))} end end),
    receive {done, S} -> io:format("worker said ~p~n", [S]) end,
    ok.
