-module(kvstore).
-export([start/0]).
%% A small gen_server-like key-value server written with plain processes.
start() ->
    S = spawn(fun() -> loop(#{}) end),
    ok = call(S, {put, a, 1}),
    ok = call(S, {put, b, 2}),
    io:format("~p~n", [call(S, {get, a})]),
    io:format("~p~n", [call(S, {get, zz})]),
    io:format("~p~n", [call(S, keys)]),
    [call(S, {put, K, K * K}) || K <- lists:seq(1, 500)],
    io:format("~p~n", [call(S, {get, 321})]),
    io:format("~p~n", [length(call(S, keys))]),
    call(S, stop),
    io:format("stopped~n").
call(S, Req) ->
    Ref = make_ref(),
    S ! {Ref, self(), Req},
    receive {Ref, Reply} -> Reply after 1000 -> timeout end.
loop(M) ->
    receive
        {Ref, From, {put, K, V}} -> From ! {Ref, ok}, loop(M#{K => V});
        {Ref, From, {get, K}} -> From ! {Ref, maps:find(K, M)}, loop(M);
        {Ref, From, keys} -> From ! {Ref, lists:sort(maps:keys(M))}, loop(M);
        {Ref, From, stop} -> From ! {Ref, ok}
    end.
