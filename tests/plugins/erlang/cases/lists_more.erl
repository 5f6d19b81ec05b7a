-module(lists_more).
-export([start/0]).
start() ->
    L = lists:seq(1, 10),
    io:format("~p~n", [lists:takewhile(fun(X) -> X < 4 end, L)]),
    io:format("~p~n", [lists:dropwhile(fun(X) -> X < 8 end, L)]),
    io:format("~p~n", [lists:splitwith(fun(X) -> X < 3 end, L)]),
    io:format("~p~n", [lists:flatmap(fun(X) -> [X, X] end, [1, 2])]),
    io:format("~p~n", [lists:foldl(fun(X, {E, O}) when X rem 2 =:= 0 -> {E + X, O};
                                      (X, {E, O}) -> {E, O + X} end, {0, 0}, L)]),
    io:format("~p~n", [lists:nthtail(7, L)]),
    io:format("~p~n", [lists:prefix([1, 2], L)]),
    io:format("~p~n", [lists:suffix([9, 10], L)]),
    io:format("~p~n", [lists:delete(5, L)]),
    io:format("~p~n", [lists:zip3([a, b], [1, 2], [x, y])]),
    io:format("~p~n", [lists:zipwith(fun(A, B) -> A * B end, [1, 2, 3], [4, 5, 6])]),
    io:format("~p~n", [lists:usort([c, a, b, a, c])]),
    io:format("~p~n", [lists:ukeysort(1, [{b, 1}, {a, 2}, {b, 3}])]),
    io:format("~p~n", [lists:keymerge(1, [{a, 1}, {c, 3}], [{b, 2}])]),
    io:format("~p~n", [lists:filtermap(fun(X) when X > 8 -> {true, -X}; (_) -> false end, L)]),
    io:format("~p~n", [lists:search(fun(X) -> X > 6 end, L)]),
    io:format("~p~n", [lists:uniq([1, 2, 1, 3, 2])]),
    io:format("~p~n", [lists:reverse(lists:sort(fun(A, B) -> A rem 3 =< B rem 3 end, L))]),
    io:format("~p~n", [lists:concat([a, "b", 1, 2.5])]),
    io:format("~p~n", [lists:sort(lists:map(fun(X) -> {X rem 3, X} end, L))]).
