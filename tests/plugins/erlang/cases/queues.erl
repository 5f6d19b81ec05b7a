-module(queues).
-export([start/0]).
start() ->
    Q0 = queue:new(),
    Q1 = lists:foldl(fun queue:in/2, Q0, [1, 2, 3, 4]),
    {{value, H}, Q2} = queue:out(Q1),
    io:format("~p ~p~n", [H, queue:to_list(Q2)]),
    Q3 = queue:in_r(0, Q2),
    io:format("~p~n", [queue:to_list(Q3)]),
    io:format("~p~n", [queue:len(Q3)]),
    io:format("~p~n", [queue:out_r(Q3)]),
    io:format("~p~n", [queue:is_empty(queue:new())]),
    io:format("~p~n", [queue:to_list(queue:reverse(Q3))]),
    io:format("~p~n", [queue:peek(Q3)]),
    io:format("~p~n", [queue:out(queue:new())]).
