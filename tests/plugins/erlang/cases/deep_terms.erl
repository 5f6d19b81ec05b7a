-module(deep_terms).
-export([start/0]).
-compile(nowarn_deprecated_function).

%% term_to_binary, binary_to_term, phash/2 and phash2 of terms nested
%% 200,000 deep (lists of lists, tuples of tuples): no recursion on the C stack.
nest(0, A) -> A;
nest(N, A) -> nest(N - 1, [A]).
tnest(0, A) -> A;
tnest(N, A) -> tnest(N - 1, {A}).
start() ->
    [begin
         L = nest(N, x), T = tnest(N, y),
         B = term_to_binary(L), B2 = term_to_binary(T),
         L2 = binary_to_term(B), T2 = binary_to_term(B2),
         true = erlang:phash2(L2) =:= erlang:phash2(L) andalso erlang:phash(T2, 99) =:= erlang:phash(T, 99),
         io:format("~b ~b ~b ~b ~b~n", [N, byte_size(B), erlang:phash2(L), erlang:phash(T, 1 bsl 32), erlang:phash2(T)])
     end || N <- [10, 1000, 50000, 200000]],
    ok.
