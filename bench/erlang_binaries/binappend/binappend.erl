-module(binappend).
-export([start/0]).
%% A binary grown by <<Acc/binary, Piece/binary>> n times (default 1,000,000)
%% with 8-byte pieces: BEAM appends in place; so does unik.
start() ->
    N = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 1000000 end,
    T0 = erlang:monotonic_time(nanosecond),
    B = grow(N, <<>>),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("~w ~w~ncompute_ns ~w~n", [byte_size(B), erlang:crc32(B), T1 - T0]).

grow(0, Acc) -> Acc;
grow(N, Acc) -> grow(N - 1, <<Acc/binary, N:64>>).
