-module(re_errors).
-export([start/0]).
%% Bad patterns: compile's {error, {Message, Offset}}, badarg from run/replace,
%% and a runaway pattern hitting the match limit.

start() ->
    lists:foreach(fun(P) -> io:format("~p ~p~n", [P, re:compile(P)]) end,
                  ["(", "a)", "*a", "[a", "a{2,1}", "[z-a]", "a\\", "(?<n", "a**",
                   "\\k<zz>", "(a)\\2", "ab(c"]),
    io:format("~p~n", [caught(fun() -> re:run("abc", "(") end)]),
    io:format("~p~n", [re:run("abc", "(", [report_errors])]),
    io:format("~p~n", [caught(fun() -> re:run("abc", "a", [bogus]) end)]),
    io:format("~p~n", [caught(fun() -> re:run(abc, "a") end)]),
    io:format("~p~n", [caught(fun() -> re:replace("abc", "(", "x") end)]),
    io:format("~p~n", [caught(fun() -> re:split("abc", "[", []) end)]),
    Evil = lists:duplicate(26, $a) ++ "b",
    io:format("~p~n", [re:run(Evil, "^(a+)+$", [report_errors])]),
    io:format("~p~n", [re:run(Evil, "^(a+)+$", [])]),
    io:format("~p~n", [re:run(lists:duplicate(16, $a) ++ "b", "^(a|a)*$", [{match_limit, 1000}, report_errors])]),
    io:format("~p~n", [re:run(lists:duplicate(16, $a), "^(a|a)*$", [report_errors, {capture, none}])]),
    io:format("~p~n", [re:compile("a(?<n>b)(?<n>c)")]),
    ok.

caught(F) ->
    try F() catch C:R -> {C, R} end.
