-module(floats).
-export([start/0]).
start() ->
    io:format("~p~n", [math:sqrt(2)]),
    io:format("~p~n", [math:pi()]),
    io:format("~p~n", [math:pow(2, 0.5)]),
    io:format("~p~n", [math:sin(1.0)]),
    io:format("~p~n", [math:log(10)]),
    io:format("~p~n", [math:exp(1)]),
    io:format("~p~n", [1 / 3]),
    io:format("~p~n", [2.0 * 3]),
    io:format("~p~n", [0.1 + 0.2]),
    io:format("~p~n", [1.0e300 * 10]),
    io:format("~p~n", [-0.0]),
    io:format("~p~n", [[1.0e-7, 123.456, 1.0e15, 1.0e16, 9007199254740993.0]]),
    io:format("~.3f ~.2e ~g~n", [2 / 3, 12345.6789, 0.5]),
    io:format("~p~n", [element(1, element(2, catch 1.0e308 * id(10.0)))]),
    io:format("~p~n", [round(-0.5)]),
    io:format("~p~n", [float_to_list(1.0e-3, [{decimals, 4}])]),
    io:format("~p~n", [lists:sum([0.1 || _ <- lists:seq(1, 10)])]),
    io:format("~p~n", [abs(-2.5)]),
    io:format("~w~n", [3.0]).
id(X) -> X.
