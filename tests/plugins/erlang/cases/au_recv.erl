-module(au_recv).
-export([start/0]).
%% receive: guards, variable timeouts, infinity, nested receives, priorities by selective receive.

start() ->
    Self = self(),
    [Self ! M || M <- [{low, 1}, {high, 1}, {low, 2}, other, {high, 2}, {low, 3}]],
    io:format("~p~n", [priority([])]),
    io:format("~p~n", [wait(0)]),
    io:format("~p~n", [wait(10)]),
    T = 5,
    io:format("~p~n", [receive x -> x after T * 2 -> {waited, T * 2} end]),
    spawn(fun() -> Self ! {num, 7}, Self ! {num, -3}, Self ! {num, 12} end),
    io:format("~p~n", [[receive {num, N1} when N1 > 10 -> N1 end,
                        receive {num, N2} when N2 < 0 -> N2 end,
                        receive {num, N3} -> N3 end]]),
    Pid = spawn(fun() -> responder() end),
    Pid ! {self(), {add, 2, 3}},
    Pid ! {self(), {mul, 4, 5}},
    Pid ! {self(), bad},
    io:format("~p~n", [[receive {Pid, R} -> R after 500 -> timeout end || _ <- [1, 2, 3]]]),
    io:format("~p~n", [receive after 0 -> immediate end]),
    Self ! {nested, 1},
    Self ! {inner, 2},
    R = receive
            {nested, A} ->
                receive {inner, B} -> {A, B} after 100 -> no_inner end
        end,
    io:format("~p~n", [R]),
    io:format("~p~n", [process_info(self(), message_queue_len)]),
    Big = [{msg, I} || I <- lists:seq(1, 2000)],
    [Self ! M || M <- Big],
    io:format("~p~n", [drain_last(undefined)]),
    ok.

priority(Acc) ->
    receive
        {high, N} -> priority([{high, N} | Acc])
    after 0 ->
        receive
            {low, N} -> priority([{low, N} | Acc]);
            Other -> priority([Other | Acc])
        after 0 -> lists:reverse(Acc)
        end
    end.

wait(Ms) -> receive nothing -> got after Ms -> {timeout, Ms} end.

responder() ->
    receive
        {From, {add, A, B}} -> From ! {self(), A + B}, responder();
        {From, {mul, A, B}} -> From ! {self(), A * B}, responder();
        {From, Other} -> From ! {self(), {unknown, Other}}, responder()
    after 1000 -> ok
    end.

drain_last(Last) -> receive {msg, N} -> drain_last(N) after 0 -> Last end.
