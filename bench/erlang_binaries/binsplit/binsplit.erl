-module(binsplit).
-export([start/0]).
%% A binary of n MB (default 10) of 100-byte records, matched into a list of
%% {Header, Body} pairs (the bodies sub-binaries of it), summed, then split
%% by binary:split/3 on a separator: the work is making sub-binaries.
start() ->
    MB = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 10 end,
    Bin = iolist_to_binary([<<I:32, (binary:copy(<<(I rem 256)>>, 96))/binary>>
                            || I <- lists:seq(1, MB * 1048576 div 100)]),
    T0 = erlang:monotonic_time(nanosecond),
    Recs = records(Bin, []),
    Sum = lists:foldl(fun({H, Body}, S) -> S + H + binary:last(Body) end, 0, Recs),
    Parts = binary:split(Bin, <<0, 1, 0, 0>>, [global]),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("~w ~w ~w~ncompute_ns ~w~n", [length(Recs), Sum, length(Parts), T1 - T0]).

records(<<H:32, Body:96/binary, Rest/binary>>, Acc) -> records(Rest, [{H, Body} | Acc]);
records(_, Acc) -> lists:reverse(Acc).
