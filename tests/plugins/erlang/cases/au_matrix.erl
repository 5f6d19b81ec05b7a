-module(au_matrix).
-export([start/0]).
%% Lists of lists as matrices: transpose, multiply, determinant, Gaussian solve, formatting.

start() ->
    A = [[2.0, 1.0, -1.0], [-3.0, -1.0, 2.0], [-2.0, 1.0, 2.0]],
    B = [8.0, -11.0, -3.0],
    io:format("~p~n", [transpose(A)]),
    io:format("~p~n", [mul(A, transpose(A))]),
    io:format("~p~n", [det(A)]),
    io:format("~p~n", [det([[1, 2], [3, 4]])]),
    X = solve(A, B),
    io:format("~p~n", [X]),
    io:format("~s", [[io_lib:format("~8.3f", [V]) || V <- X] ++ "\n"]),
    I = identity(4),
    [io:format("~w~n", [Row]) || Row <- I],
    M = [[I1 * J + 1 || J <- lists:seq(1, 4)] || I1 <- lists:seq(1, 4)],
    io:format("~p~n", [mul(M, I) =:= M]),
    io:format("~p~n", [mul(M, M)]),
    io:format("~p~n", [power(M, 5)]),
    [io:format("~s~n", [string:join([io_lib:format("~6w", [V]) || V <- Row], "")]) || Row <- M],
    ok.

transpose([[] | _]) -> [];
transpose(M) -> [[hd(R) || R <- M] | transpose([tl(R) || R <- M])].

mul(A, B) -> BT = transpose(B), [[lists:sum(lists:zipwith(fun(X, Y) -> X * Y end, R, C)) || C <- BT] || R <- A].

det([[X]]) -> X;
det([Row | Rest]) ->
    lists:sum([sign(J) * lists:nth(J, Row) * det(minor(J, Rest)) || J <- lists:seq(1, length(Row))]).
sign(J) when J rem 2 =:= 1 -> 1;
sign(_) -> -1.
minor(J, Rows) -> [dropnth(J, R) || R <- Rows].
dropnth(J, L) -> {H, [_ | T]} = lists:split(J - 1, L), H ++ T.

identity(N) -> [[case I =:= J of true -> 1; false -> 0 end || J <- lists:seq(1, N)] || I <- lists:seq(1, N)].

power(M, 1) -> M;
power(M, N) -> mul(M, power(M, N - 1)).

solve(A, B) ->
    Aug = [R ++ [V] || {R, V} <- lists:zip(A, B)],
    back(eliminate(Aug)).

eliminate([]) -> [];
eliminate(Rows) ->
    [P | Rest] = lists:sort(fun(R1, R2) -> abs(hd(R1)) >= abs(hd(R2)) end, Rows),
    Rest2 = [tl(lists:zipwith(fun(X, Y) -> Y - X * hd(R) / hd(P) end, P, R)) || R <- Rest],
    [P | eliminate(Rest2)].

back([]) -> [];
back([P | Rest]) ->
    Xs = back(Rest),
    [C | Cs] = P,
    Coefs = lists:droplast(Cs),
    Rhs = lists:last(Cs),
    [(Rhs - lists:sum(lists:zipwith(fun(X, Y) -> X * Y end, Coefs, Xs))) / C | Xs].
