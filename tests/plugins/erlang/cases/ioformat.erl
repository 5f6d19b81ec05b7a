-module(ioformat).
-export([start/0]).
start() ->
    io:format("~p~n", [{a, "a string", [1, 2, 3], [65, 66, 67], [300, 400]}]),
    io:format("~w~n", ["abc"]),
    io:format("~p~n", [lists:duplicate(30, {key, value, 123})]),
    io:format("[~5w] [~-5w] [~5.2w]~n", [1, 2, 3]),
    io:format("~*c|~n", [5, $x]),
    io:format("~.10b ~.36B ~#x ~.8#~n", [100, 35, 255, 8]),
    io:format("~P~n", [[1, [2, [3, [4, [5]]]]], 4]),
    io:format("~W~n", [{a, {b, {c, {d}}}}, 3]),
    io:format("~tp~n", [<<"bin">>]),
    io:format("~ts~n", ["plain"]),
    io:format("~~ ~n"),
    io:format("~s~n", [io_lib:format("~p", [nested])]),
    io:format("~p~n", [lists:flatten(io_lib:format("~4..0w", [7]))]),
    io:format("~p~n", [{"deep", {"tuple", {"with", ["many", "strings", 'and', atoms]}}}]),
    io:format("~p~n", [#{list => [1, 2], nested => #{x => y}, tuple => {}}]),
    io:format("~p~n", [[<<1, 2, 3>>, <<"text">>, <<>>, <<1:1>>]]),
    io:format("~120p~n", [lists:seq(1, 50)]),
    io:format("~w ~w~n", [1.0, -1.5e-5]).
