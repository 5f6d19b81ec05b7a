-module(stdlib_misc).
%% timer, rand (seeded), calendar, string, erl_scan, base64: OTP library modules at work.
-export([start/0]).
start() ->
    timer:sleep(10),
    {T, V} = timer:tc(fun() -> lists:sum(lists:seq(1, 1000)) end),
    io:format("~p ~p~n", [is_integer(T), V]),
    rand:seed(exsss, {1, 2, 3}),
    X = rand:uniform(100),
    io:format("~p~n", [X]),
    io:format("~p~n", [rand:uniform()]),
    io:format("~p~n", [calendar:gregorian_days_to_date(738000)]),
    io:format("~p~n", [string:uppercase("abc")]),
    io:format("~p~n", [erlang:system_time(second) > 0]),
    {ok, Tokens, _} = erl_scan:string("foo(1, 2)."),
    io:format("~p~n", [length(Tokens)]),
    io:format("~p~n", [base64:encode(<<"hello">>)]),
    io:format("~p~n", [lists:sublist(lists:reverse(lists:seq(1, 10)), 3)]).
