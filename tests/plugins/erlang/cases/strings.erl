-module(strings).
-export([start/0]).
start() ->
    io:format("~p~n", [string:tokens("a,b,,c", ",")]),
    io:format("~p~n", [string:split("key=value=x", "=")]),
    io:format("~p~n", [string:split("a b c", " ", all)]),
    io:format("~p~n", [string:to_upper("hello")]),
    io:format("~p~n", [string:to_lower("HeLLo")]),
    io:format("~p~n", [string:trim("  padded  ")]),
    io:format("~p~n", [string:join(["x", "y", "z"], "-")]),
    io:format("~p~n", [string:len("four")]),
    io:format("~p~n", [string:substr("abcdef", 2, 3)]),
    io:format("~p~n", [string:str("hello world", "wor")]),
    io:format("~p~n", [string:reverse("abc")]),
    io:format("~p~n", [string:find("hello world", "o w")]),
    io:format("~p~n", [string:replace("a-b-c", "-", "+", all)]),
    io:format("~p~n", [string:lexemes("  a  b ", " ")]),
    io:format("~p~n", [string:pad("x", 4, both)]),
    io:format("~p~n", [lists:flatten(io_lib:format("~5.2f|~-6w|~6w", [3.14159, a, b]))]),
    io:format("~p~n", [string:equal("a", "a")]),
    io:format("~p~n", [string:slice("hello", 1, 3)]),
    io:format("~p~n", [string:length("héllo")]).
