-module(bif3_body).
-export([start/0]).

%% Three-argument guard BIFs called in a function body (gc_bif3), where a
%% failure raises instead of jumping: binary_part/3.
start() ->
    Bin = list_to_binary(lists:seq(0, 199)),
    P = binary_part(Bin, 100, 50),
    io:format("~w ~w~n", [byte_size(P), binary:first(P)]),
    Q = binary_part(Bin, byte_size(Bin) div 2, 3),
    io:format("~w~n", [Q]),
    io:format("~w~n", [try binary_part(Bin, 190, 20) catch error:E -> E end]),
    io:format("~w~n", [[binary_part(Bin, I, 2) || I <- [0, 7, 198]]]),
    F = fun(B, S, L) when byte_size(binary_part(B, S, L)) > 1 -> big; (_, _, _) -> small end,
    io:format("~w ~w~n", [F(Bin, 0, 5), F(Bin, 0, 1)]).
