-module(funs).
-export([start/0, add/2]).
add(A, B) -> A + B.
start() ->
    N = 10,
    AddN = fun(X) -> X + N end,
    io:format("~p~n", [AddN(5)]),
    Compose = fun(F, G) -> fun(X) -> F(G(X)) end end,
    io:format("~p~n", [(Compose(AddN, fun(X) -> X * 2 end))(3)]),
    io:format("~p~n", [lists:zipwith(fun ?MODULE:add/2, [1], [2])]),
    F2 = fun add/2,
    io:format("~p~n", [F2(1, 2)]),
    io:format("~p~n", [apply(fun add/2, [3, 4])]),
    io:format("~p~n", [apply(?MODULE, add, [5, 6])]),
    io:format("~p~n", [erlang:apply(lists, reverse, [[1, 2, 3]])]),
    Fact = fun Fact(0) -> 1; Fact(K) -> K * Fact(K - 1) end,
    io:format("~p~n", [Fact(20)]),
    io:format("~p ~p~n", [is_function(AddN), is_function(AddN, 1)]),
    io:format("~p~n", [erlang:fun_info(AddN, arity)]),
    Counter = make_counter(),
    io:format("~p~n", [[Counter(I) || I <- [1, 2, 3]]]),
    io:format("~p~n", [element(1, element(2, catch (fun(X) -> X end)(1, 2)))]),
    io:format("~p~n", [lists:foldl(fun erlang:'+'/2, 0, [1, 2, 3])]).
make_counter() -> fun(I) -> I * 100 end.
