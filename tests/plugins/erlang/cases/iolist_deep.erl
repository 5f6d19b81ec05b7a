-module(iolist_deep).
-export([start/0]).
%% An iolist built by appending, [Acc, Piece], nests to the left as deep as
%% there are pieces: flattening it must not recurse on the C stack.
start() ->
    L = build(0, 300000, []),
    B = iolist_to_binary(L),
    io:format("~w ~w ~w~n", [iolist_size(L), byte_size(B), binary:part(B, 0, 20)]),
    R = lists:foldl(fun(I, Acc) -> [[[Acc]], <<I:8>>, [I rem 256 | <<"!">>]] end, [], lists:seq(1, 100000)),
    io:format("~w ~w~n", [iolist_size(R), lists:sum(binary_to_list(iolist_to_binary(R)))]),
    Bad = [build(0, 100000, []), foo],
    io:format("~w ~w~n", [element(1, catch iolist_to_binary(Bad)),
                          element(1, catch iolist_size([[[[<<1:4>>]]]]))]).
build(N, N, Acc) -> Acc;
build(I, N, Acc) -> build(I + 1, N, [Acc, integer_to_binary(I), $,]).
