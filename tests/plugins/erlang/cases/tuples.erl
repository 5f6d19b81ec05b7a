-module(tuples).
-export([start/0]).
start() ->
    T = {a, b, c},
    io:format("~p~n", [element(2, T)]),
    io:format("~p~n", [setelement(2, T, x)]),
    io:format("~p~n", [tuple_size(T)]),
    io:format("~p~n", [erlang:append_element(T, d)]),
    io:format("~p~n", [erlang:delete_element(1, T)]),
    io:format("~p~n", [erlang:insert_element(2, T, new)]),
    io:format("~p~n", [erlang:make_tuple(3, z)]),
    io:format("~p~n", [erlang:make_tuple(4, 0, [{2, two}, {4, four}])]),
    io:format("~p~n", [list_to_tuple(lists:seq(1, 20))]),
    {X, {Y, [Z | _]}} = {1, {2, [3, 4]}},
    io:format("~p~n", [X + Y + Z]),
    io:format("~p~n", [lists:keyreplace(b, 1, [{a, 1}, {b, 2}], {b, 20})]),
    io:format("~p~n", [lists:keydelete(a, 1, [{a, 1}, {b, 2}])]),
    io:format("~p~n", [lists:keystore(c, 1, [{a, 1}], {c, 3})]),
    io:format("~p~n", [size({1, 2})]).
