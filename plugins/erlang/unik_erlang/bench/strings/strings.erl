-module(strings).
-export([start/0]).
%% unik compare's strings (core/compare/spec.py): append "<i>," for i in
%% 0..n-1 (default 1,000,000) to one growing string — an iolist, Erlang's
%% string builder: each append is one cons of the string so far and the
%% piece, flattened once into a binary — then count its '7' characters.
start() ->
    N = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 1000000 end,
    T0 = erlang:monotonic_time(nanosecond),
    S = iolist_to_binary(build(0, N, [])),
    Sevens = sevens(S, 0),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("length ~w, sevens ~w~ncompute_ns ~w~n", [byte_size(S), Sevens, T1 - T0]).

build(N, N, Acc) -> Acc;
build(I, N, Acc) -> build(I + 1, N, [Acc, integer_to_binary(I), $,]).

sevens(<<$7, Rest/binary>>, K) -> sevens(Rest, K + 1);
sevens(<<_, Rest/binary>>, K) -> sevens(Rest, K);
sevens(<<>>, K) -> K.
