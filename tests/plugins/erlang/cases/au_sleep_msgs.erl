-module(au_sleep_msgs).
-export([start/0]).
%% Messages arriving while a process sleeps (timer:sleep, receive after T with
%% T in a variable, clauses that do not match) must not disturb its timer.
start() ->
    Self = self(),
    P = spawn(fun() -> timer:sleep(60), Self ! {slept, self()} end),
    [P ! {noise, I} || I <- lists:seq(1, 5)],
    receive {slept, P} -> io:format("sleeper woke~n") end,
    Q = spawn(fun() -> wait_for(go, 50), Self ! {waited, self()} end),
    Q ! other, Q ! {other, 1},
    timer:sleep(10),
    Q ! also_other,
    receive {waited, Q} -> io:format("waiter timed out as expected~n") end,
    R = spawn(fun() -> wait_for(go, infinity), Self ! {released, self()} end),
    R ! unrelated,
    timer:sleep(10),
    R ! go,
    receive {released, R} -> io:format("infinite waiter released~n") end,
    io:format("~p~n", [wait_for(nothing, 5)]),
    ok.

wait_for(Msg, T) ->
    receive Msg -> got after T -> timeout end.
