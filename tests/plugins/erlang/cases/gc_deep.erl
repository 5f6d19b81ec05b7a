-module(gc_deep).
-export([start/0]).
%% The collector under deep, long-lived data: structures built early survive
%% many young-generation collections and several of the old generation while
%% garbage is made around them, grow a little at a time (old data pointing to
%% new), and are checked at the end. Record updates of several fields at once
%% (setelement, then in-place set_tuple_element) run between collections.

-record(acc, {n = 0, sum = 0, last = none, tag = start}).

start() ->
    Tree = tree(16),                        % 2^17 - 1 nodes, kept to the end
    Long = lists:seq(1, 200000),            % a long list, kept
    Map = maps:from_list([{I, {I, [I]}} || I <- lists:seq(1, 50000)]),
    Bin = list_to_binary([I rem 256 || I <- lists:seq(1, 100000)]),
    Deep = deep(100000, []),                % a 100000-deep nesting, kept
    {Grown, Acc} = churn(300, [], #acc{}),
    io:format("tree ~w~n", [check(Tree)]),
    io:format("list ~w ~w~n", [length(Long), lists:sum(Long)]),
    io:format("map ~w ~w~n", [map_size(Map), maps:get(777, Map)]),
    io:format("bin ~w ~w~n", [byte_size(Bin), binary:at(Bin, 99999)]),
    io:format("deep ~w~n", [depth(Deep, 0)]),
    io:format("grown ~w ~w~n", [length(Grown), lists:sum([lists:sum(L) || L <- Grown])]),
    io:format("acc ~w~n", [Acc]),
    %% a process whose heap is mostly one structure that keeps growing
    Self = self(),
    spawn(fun() -> Self ! {grew, grow(0, [])} end),
    receive {grew, G} -> io:format("grew ~w ~w~n", [length(G), hd(G)]) end,
    ok.

tree(0) -> leaf;
tree(D) -> {tree(D - 1), D, tree(D - 1)}.

check(leaf) -> 0;
check({L, D, R}) -> check(L) + D + check(R).

deep(0, Acc) -> Acc;
deep(N, Acc) -> deep(N - 1, [Acc]).

depth([], D) -> D;
depth([X], D) -> depth(X, D + 1).

%% each round: garbage (a short-lived tree and a list), a piece kept (old data
%% referring to it through the growing list), a record updated in place
churn(0, Kept, Acc) -> {Kept, Acc};
churn(N, Kept, Acc) ->
    _ = check(tree(10)),
    Garbage = lists:reverse(lists:seq(1, 2000)),
    Piece = [N, length(Garbage)],
    A2 = Acc#acc{n = Acc#acc.n + 1, sum = Acc#acc.sum + N, last = Piece, tag = {round, N}},
    churn(N - 1, [Piece | Kept], A2).

grow(300000, Acc) -> Acc;
grow(I, Acc) -> grow(I + 1, [{I, integer_to_list(I)} | Acc]).
