-module(messages_big).
-export([start/0]).
%% Large terms sent between processes are copied whole.
start() ->
    Self = self(),
    Big = {lists:seq(1, 5000), maps:from_list([{K, <<K:16>>} || K <- lists:seq(1, 50)]),
           list_to_binary(lists:duplicate(10000, $x))},
    Echo = spawn(fun() -> receive {From, T} -> From ! {echo, T} end end),
    Echo ! {Self, Big},
    receive {echo, Back} ->
        io:format("~p~n", [Back =:= Big]),
        {L, M, B} = Back,
        io:format("~p ~p ~p~n", [lists:sum(L), map_size(M), byte_size(B)])
    end,
    Pids = [spawn(fun() -> receive {P, N} -> P ! {self(), N * 2} end end) || _ <- lists:seq(1, 50)],
    [P ! {Self, I} || {P, I} <- lists:zip(Pids, lists:seq(1, 50))],
    Rs = [receive {P, R} -> R end || P <- Pids],
    io:format("~p~n", [lists:sum(Rs)]).
