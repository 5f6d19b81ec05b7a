-module(float_regs).
-export([start/0]).
%% Float arithmetic whose operands come from x0 and y0 (a call's result, a
%% saved variable): the float-register moves must not mistake those for float
%% registers (the n-body kernel printed nonsense when they did).
start() ->
    [io:format("~.12f ~.12f ~.12f~n", [f(X, 1.0), g({X, X / 3}, 0.5), h(X)])
     || X <- [2.0, 0.75, 123.456]],
    io:format("~p~n", [lists:foldl(fun(X, E) -> E - (X * X) / math:sqrt(X + 1.0) end,
                                   0.0, [1.0, 2.5, 4.0])]).
f(X, E) -> E - (X * X) / math:sqrt(X + X * X).
g({X, Y}, E) ->
    DX = X - Y + 1.0,
    E - (X * Y) / math:sqrt(DX * DX + DX).
h(X) ->
    S = math:sqrt(X),
    C = math:cos(X),
    S * C + S / C - X.
