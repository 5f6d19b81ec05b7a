-module(hello).
-export([start/0]).

%% The unikernel's entry: unik.toml's [erlang] entry, or any exported start/0.
start() ->
    io:format("Hello from Erlang on unik!~n"),
    io:format("~p~n", [{self() =/= undefined, lists:seq(1, 5), #{answer => 42}}]).
