-module(display).
-export([start/0]).
start() ->
    erlang:display(hello),
    erlang:display({1, [2, 3], <<"bin">>, 4.5, "str"}),
    erlang:display(-12345678901234567890),
    erlang:display(#{a => 1}),
    erlang:display('quoted atom'),
    erlang:display([]),
    io:format("done~n").
