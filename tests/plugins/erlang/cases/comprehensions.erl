-module(comprehensions).
-export([start/0]).
start() ->
    io:format("~p~n", [[{X, Y} || X <- [1, 2, 3], Y <- [a, b], X =/= 2]]),
    io:format("~p~n", [[X * X || X <- lists:seq(1, 10), X rem 2 =:= 0]]),
    io:format("~p~n", [qsort([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])]),
    io:format("~p~n", [perms([a, b, c])]),
    io:format("~p~n", [pythag(20)]),
    io:format("~p~n", [[C || C <- "Hello World", C >= $a, C =< $z]]),
    io:format("~p~n", [maps:from_list([{K, K * 2} || K <- [1, 2, 3]])]),
    io:format("~p~n", [[V || #{v := V} <- [#{v => 1}, #{w => 2}, #{v => 3}]]]).
qsort([]) -> [];
qsort([P | T]) -> qsort([X || X <- T, X < P]) ++ [P] ++ qsort([X || X <- T, X >= P]).
perms([]) -> [[]];
perms(L) -> [[H | T] || H <- L, T <- perms(L -- [H])].
pythag(N) -> [{A, B, C} || A <- lists:seq(1, N), B <- lists:seq(A, N), C <- lists:seq(B, N),
                           A * A + B * B =:= C * C].
