-module(sets_dicts).
-export([start/0]).
start() ->
    S = sets:from_list([3, 1, 2, 3, 1]),
    io:format("~p~n", [lists:sort(sets:to_list(S))]),
    io:format("~p ~p~n", [sets:size(S), sets:is_element(2, S)]),
    U = sets:union(S, sets:from_list([9])),
    io:format("~p~n", [lists:sort(sets:to_list(U))]),
    I = sets:intersection(S, sets:from_list([2, 3, 4])),
    io:format("~p~n", [lists:sort(sets:to_list(I))]),
    D = dict:from_list([{a, 1}, {b, 2}]),
    D2 = dict:store(c, 3, dict:append(a, x, dict:store(a, [], D))),
    io:format("~p~n", [lists:sort(dict:to_list(D2))]),
    io:format("~p~n", [dict:find(b, D2)]),
    O = orddict:from_list([{z, 1}, {a, 2}]),
    io:format("~p~n", [orddict:store(m, 3, O)]),
    io:format("~p~n", [ordsets:union(ordsets:from_list([c, a]), ordsets:from_list([b]))]),
    P = [{a, 1}, {b, 2}, c],
    io:format("~p ~p ~p~n", [proplists:get_value(b, P), proplists:get_bool(c, P),
                             proplists:get_value(z, P, none)]),
    V2 = sets:from_list([1, 2], [{version, 2}]),
    io:format("~p~n", [sets:to_list(sets:add_element(3, V2))]).
