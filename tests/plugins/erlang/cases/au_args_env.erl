-module(au_args_env).
-export([start/0]).
start() ->
    io:format("~p~n", [os:getenv("AU_SURELY_UNSET_VAR")]),
    io:format("~p~n", [os:getenv("AU_SURELY_UNSET_VAR", "fallback")]),
    os:putenv("AU_VAR", "set here"),
    io:format("~p~n", [os:getenv("AU_VAR")]),
    os:unsetenv("AU_VAR"),
    io:format("~p~n", [os:getenv("AU_VAR")]),
    io:format("~p~n", [is_list(os:getenv())]),
    io:format("~p~n", [is_list(init:get_plain_arguments())]),
    io:format("~p~n", [os:type()]),
    io:format("~p~n", [node()]),
    io:format("~p~n", [erlang:system_info(otp_release)]),
    io:format("~p~n", [is_integer(erlang:system_info(schedulers))]),
    io:format("~p~n", [erlang:system_info(wordsize)]),
    ok.
