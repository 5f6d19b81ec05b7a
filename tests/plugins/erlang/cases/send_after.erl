-module(send_after).
-export([start/0]).
start() ->
    erlang:send_after(30, self(), second),
    erlang:send_after(10, self(), first),
    R = erlang:start_timer(20, self(), middle),
    io:format("~p~n", [receive M1 -> M1 end]),
    io:format("~p~n", [receive {timeout, R, M2} -> M2 end]),
    io:format("~p~n", [receive M3 -> M3 end]),
    T = erlang:send_after(1000, self(), never),
    io:format("~p~n", [is_integer(erlang:cancel_timer(T))]),
    io:format("~p~n", [receive never -> got after 50 -> cancelled end]),
    T0 = erlang:monotonic_time(millisecond),
    receive after 30 -> ok end,
    io:format("~p~n", [erlang:monotonic_time(millisecond) - T0 >= 30]).
