-module(au_timers).
-export([start/0]).

start() ->
    erlang:send_after(30, self(), third),
    erlang:send_after(10, self(), first),
    erlang:send_after(20, self(), second),
    io:format("~p~n", [[receive M -> M end || _ <- [1, 2, 3]]]),
    T = erlang:send_after(1000, self(), never),
    Left = erlang:read_timer(T),
    io:format("read_timer ok: ~p~n", [is_integer(Left) andalso Left =< 1000 andalso Left > 500]),
    C = erlang:cancel_timer(T),
    io:format("cancelled: ~p~n", [is_integer(C)]),
    io:format("cancel again: ~p~n", [erlang:cancel_timer(T)]),
    receive never -> io:format("bad~n") after 0 -> io:format("after 0~n") end,
    Ref = erlang:start_timer(5, self(), payload),
    receive {timeout, Ref, payload} -> io:format("start_timer fired~n") end,
    T0 = erlang:monotonic_time(millisecond),
    timer:sleep(50),
    T1 = erlang:monotonic_time(millisecond),
    io:format("slept enough: ~p~n", [T1 - T0 >= 50]),
    {Us, V} = timer:tc(fun() -> lists:sum(lists:seq(1, 1000)) end),
    io:format("tc: ~p ~p~n", [is_integer(Us), V]),
    {ok, TRef} = timer:send_after(10, self(), via_timer),
    receive via_timer -> io:format("timer:send_after~n") end,
    {ok, TRef2} = timer:send_interval(5, self(), tick),
    Ticks = count_ticks(0, 3),
    timer:cancel(TRef2),
    io:format("ticks: ~p~n", [Ticks]),
    _ = TRef,
    self() ! a, self() ! b, self() ! c,
    io:format("~p~n", [receive b -> got_b after 0 -> none end]),
    io:format("~p~n", [flush([])]),
    receive after 15 -> ok end,
    io:format("~p~n", [timer:seconds(2) + timer:minutes(1) + timer:hours(0)]),
    io:format("~p~n", [erlang:convert_time_unit(1, second, microsecond)]),
    io:format("~p~n", [is_integer(erlang:system_time(second)) andalso erlang:system_time(second) > 1600000000]),
    {Mega, Sec, Micro} = os:timestamp(),
    io:format("~p~n", [is_integer(Mega + Sec + Micro)]),
    {Mg, S2, _} = erlang:timestamp(),
    io:format("~p~n", [Mg * 1000000 + S2 > 1600000000]),
    Self = self(),
    spawn(fun() -> receive after 20 -> Self ! late end end),
    R = receive late -> late after 1000 -> timeout end,
    io:format("~p~n", [R]),
    R2 = receive late -> late after 10 -> timeout end,
    io:format("~p~n", [R2]),
    ok.

count_ticks(N, N) -> N;
count_ticks(N, Max) -> receive tick -> count_ticks(N + 1, Max) end.

flush(Acc) -> receive M -> flush([M | Acc]) after 0 -> lists:reverse(Acc) end.
