-module(au_uncaught).
-export([start/0]).
start() ->
    io:format("before~n"),
    process(#{id => 7, items => [a, b]}).

process(Order) ->
    io:format("processing ~p~n", [maps:get(id, Order)]),
    erlang:error({invalid_order, Order, "missing customer"}).
