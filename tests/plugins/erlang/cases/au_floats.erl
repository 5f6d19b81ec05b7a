-module(au_floats).
-export([start/0]).

start() ->
    Fs = [3.14159265358979, 0.1, 1.0e10, 123.456, -0.5, 2.0, 1.0e-7, 6.02214076e23],
    [io:format("~p ~s ~s ~s ~s~n",
               [F, float_to_list(F), float_to_list(F, [{decimals, 3}]),
                float_to_list(F, [{scientific, 4}]), float_to_list(F, [short])]) || F <- Fs],
    io:format("~p~n", [float_to_binary(1.5, [{decimals, 4}, compact])]),
    io:format("~p~n", [float_to_binary(100.0, [{decimals, 0}])]),
    io:format("~p~n", [float_to_binary(0.1)]),
    io:format("~p~n", [float_to_binary(0.1, [short])]),
    io:format("~p~n", [float_to_list(1.0e-10, [{decimals, 12}, compact])]),
    io:format("~p~n", [float_to_list(2.5, [{decimals, 0}])]),
    io:format("~p~n", [float_to_list(-1.25, [{decimals, 1}])]),
    io:format("~.3f ~.3f ~.3f~n", [2.0005, 1.0e-4, -99.9999]),
    io:format("~10.3f|~-10.3f|~.0f~n", [3.14159, 3.14159, 0.5]),
    io:format("~e ~.2e ~.10e~n", [12345.678, 0.000123, 1.0/3]),
    io:format("~g ~g ~g ~g~n", [0.0001, 1.0e-5, 123456.0, 1.0e6]),
    io:format("~p~n", [[round(2.5), round(-2.5), trunc(-2.7), ceil(2.1), floor(-2.1), round(0.49999999999999994)]]),
    io:format("~p~n", [[1 / 3, 2 / 3, 10 / 4, 1.0e308 * 1.0, -1.0e-308]]),
    io:format("~p~n", [[math:sqrt(2), math:pi(), math:e(), math:exp(1), math:log(10), math:log2(1024), math:log10(0.001)]]),
    io:format("~p~n", [[math:sin(0.5), math:cos(0.5), math:tan(0.5), math:atan2(1, 2), math:asin(1), math:acos(0), math:sinh(1), math:tanh(0.3)]]),
    io:format("~p~n", [[math:ceil(1.2), math:floor(-1.2), math:fmod(7.5, 2), math:pow(2, 10), math:pow(-8, 1/3)]]),
    io:format("~p~n", [catch math:sqrt(-1)]),
    io:format("~p~n", [catch math:log(0)]),
    io:format("~p~n", [catch 1.0e308 * 10]),
    io:format("~p~n", [catch 1 / 0]),
    io:format("~p~n", [catch 1.0 / 0.0]),
    io:format("~p~n", [[list_to_float("1.5e3"), binary_to_float(<<"-0.001">>), catch list_to_float("1")]]),
    io:format("~p~n", [[float(7), 7 / 1, 7 == 7.0, 7 =:= 7.0, 0.0 == -0.0, 0.0 =:= -0.0]]),
    io:format("~p~n", [lists:sum([0.1 || _ <- lists:seq(1, 10)])]),
    io:format("~p~n", [[abs(-3.5), max(1, 1.0), min(1, 1.0), max(2.0, 1)]]),
    io:format("~p~n", [[is_float(1.0), is_integer(1.0), is_number(1.0)]]),
    io:format("~w~n", [[1.0e-323, 5.0e-324, 2.2250738585072014e-308, 1.7976931348623157e308]]),
    io:format("~p~n", [[erlang:float_to_list(123.0), float_to_list(0.0), float_to_list(-0.0)]]),
    io:format("~p~n", [[mean([1, 2, 3, 4]), stddev([2, 4, 4, 4, 5, 5, 7, 9])]]),
    ok.

mean(L) -> lists:sum(L) / length(L).
stddev(L) -> M = mean(L), math:sqrt(lists:sum([(X - M) * (X - M) || X <- L]) / length(L)).
