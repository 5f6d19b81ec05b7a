-module(selective).
-export([start/0]).
start() ->
    self() ! {b, 2}, self() ! {a, 1}, self() ! {c, 3},
    receive {a, X} -> io:format("a ~p~n", [X]) end,
    receive {c, Y} -> io:format("c ~p~n", [Y]) end,
    receive {b, Z} -> io:format("b ~p~n", [Z]) end,
    R = receive nothing -> got after 50 -> timeout end,
    io:format("~p~n", [R]),
    R0 = receive nothing -> got after 0 -> immediate end,
    io:format("~p~n", [R0]),
    Me = self(),
    spawn(fun() -> timer_sleep(20), Me ! late end),
    receive late -> io:format("late arrived~n") after 2000 -> io:format("too slow~n") end,
    Ref = make_ref(),
    self() ! {other, 1}, self() ! {Ref, answer},
    receive {Ref, A} -> io:format("ref ~p~n", [A]) end,
    receive {other, O} -> io:format("other ~p~n", [O]) end,
    flush().
timer_sleep(Ms) -> receive after Ms -> ok end.
flush() -> receive M -> io:format("left ~p~n", [M]), flush() after 0 -> ok end.
