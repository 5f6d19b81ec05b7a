-module(hashmap).
-export([start/0]).
%% unik compare's hashmap (core/compare/spec.py) with Erlang's own map, the
%% idiomatic way: one M#{K => V} per insert, a match per lookup, maps:remove/2
%% per removal. 10 rounds of insert n int keys (i*7919 -> i*round), look them
%% all up, remove the even ones; then n binary keys <<"key<i>">> -> i.
start() ->
    N = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 100000 end,
    T0 = erlang:monotonic_time(nanosecond),
    {M, S} = rounds(1, N, #{}, 0),
    Ms = insert_str(0, N, #{}),
    S2 = lookup_str(0, N, Ms, S),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("sum ~w, ~w + ~w keys~ncompute_ns ~w~n",
              [S2, map_size(M), map_size(Ms), T1 - T0]).

rounds(11, _, M, S) -> {M, S};
rounds(R, N, M0, S0) ->
    M1 = insert(0, N, R, M0),
    S1 = lookup(0, N, M1, S0),
    rounds(R + 1, N, remove(0, N div 2, M1), S1).

insert(N, N, _, M) -> M;
insert(I, N, R, M) -> insert(I + 1, N, R, M#{I * 7919 => I * R}).

lookup(N, N, _, S) -> S;
lookup(I, N, M, S) -> #{(I * 7919) := V} = M, lookup(I + 1, N, M, S + V).

remove(H, H, M) -> M;
remove(I, H, M) -> remove(I + 1, H, maps:remove(2 * I * 7919, M)).

key(I) -> <<"key", (integer_to_binary(I))/binary>>.

insert_str(N, N, M) -> M;
insert_str(I, N, M) -> insert_str(I + 1, N, M#{key(I) => I}).

lookup_str(N, N, _, S) -> S;
lookup_str(I, N, M, S) -> K = key(I), #{K := V} = M, lookup_str(I + 1, N, M, S + V).
