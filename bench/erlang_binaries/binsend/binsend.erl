-module(binsend).
-export([start/0]).
%% A 1 MB binary sent to an echo process and back n times (default 10,000).
%% BEAM passes a reference to the off-heap bytes, not the bytes; so does unik.
start() ->
    N = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 10000 end,
    Bin = list_to_binary([I rem 251 || I <- lists:seq(1, 1 bsl 20)]),
    T0 = erlang:monotonic_time(nanosecond),
    Echo = spawn(fun echo/0),
    Sum = loop(Echo, Bin, N, 0),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("~w~ncompute_ns ~w~n", [Sum, T1 - T0]).

loop(Echo, _, 0, Acc) ->
    Echo ! stop,
    Acc;
loop(Echo, Bin, N, Acc) ->
    Echo ! {self(), Bin},
    receive {echo, B} -> loop(Echo, B, N - 1, Acc + binary:last(B)) end.

echo() ->
    receive
        {From, B} -> From ! {echo, B}, echo();
        stop -> ok
    end.
