-module(apply_dyn).
-export([start/0, double/1]).
double(X) -> 2 * X.
start() ->
    M = list_to_atom("apply_dyn"),
    io:format("~p~n", [M:double(21)]),
    F = double,
    io:format("~p~n", [?MODULE:F(4)]),
    io:format("~p~n", [apply(M, F, [5])]),
    io:format("~p~n", [apply(lists, seq, [1, 3])]),
    io:format("~p~n", [apply(erlang, length, [[a, b]])]),
    io:format("~p~n", [erlang:function_exported(apply_dyn, double, 1)]),
    io:format("~p~n", [reason(catch apply(apply_dyn, nope, []))]),
    io:format("~p~n", [reason(catch undefined_mod_xyz:f())]),
    Fun = fun erlang:atom_to_list/1,
    io:format("~p~n", [Fun(abc)]),
    io:format("~p~n", [(erlang:make_fun(apply_dyn, double, 1))(8)]).
reason({'EXIT', {R, _}}) -> R.
