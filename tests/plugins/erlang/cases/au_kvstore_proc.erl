-module(au_kvstore_proc).
-export([start/0]).
%% A key-value store process with request refs, selective receive, timeouts and expiry.

start() ->
    S = spawn_link(fun() -> loop(#{}, 0) end),
    ok = call(S, {put, a, 1}),
    ok = call(S, {put, b, [1, 2, 3]}),
    ok = call(S, {put_ttl, tmp, gone_soon, 200}),
    io:format("~p~n", [call(S, {get, a})]),
    io:format("~p~n", [call(S, {get, tmp})]),
    timer:sleep(300),
    io:format("~p~n", [call(S, {get, tmp})]),
    io:format("~p~n", [call(S, {get, missing})]),
    io:format("~p~n", [call(S, keys)]),
    io:format("~p~n", [call(S, {incr, counter, 5})]),
    io:format("~p~n", [call(S, {incr, counter, 5})]),
    io:format("~p~n", [call(S, stats)]),
    io:format("~p~n", [call(S, {slow, 100}, 30)]),
    %% the late reply must not confuse the next call
    io:format("~p~n", [call(S, {get, a})]),
    timer:sleep(100),
    io:format("~p~n", [flush()]),
    S ! {self(), make_ref(), stop},
    receive {'EXIT', S, Why} -> io:format("store stopped: ~p~n", [Why]) end,
    ok.

call(S, Req) -> call(S, Req, 1000).
call(S, Req, Timeout) ->
    Ref = make_ref(),
    S ! {self(), Ref, Req},
    receive
        {Ref, Reply} -> Reply
    after Timeout -> {error, timeout}
    end.

flush() -> receive M -> [element(2, M) | flush()] after 0 -> [] end.

loop(Map, Ops) ->
    receive
        {From, Ref, {put, K, V}} -> From ! {Ref, ok}, loop(Map#{K => V}, Ops + 1);
        {From, Ref, {put_ttl, K, V, Ms}} ->
            erlang:send_after(Ms, self(), {expire, K}),
            From ! {Ref, ok}, loop(Map#{K => V}, Ops + 1);
        {expire, K} -> loop(maps:remove(K, Map), Ops);
        {From, Ref, {get, K}} ->
            From ! {Ref, case Map of #{K := V} -> {ok, V}; _ -> not_found end},
            loop(Map, Ops + 1);
        {From, Ref, keys} -> From ! {Ref, lists:sort(maps:keys(Map))}, loop(Map, Ops + 1);
        {From, Ref, {incr, K, N}} ->
            V = maps:get(K, Map, 0) + N,
            From ! {Ref, V}, loop(Map#{K => V}, Ops + 1);
        {From, Ref, stats} -> From ! {Ref, #{ops => Ops, size => map_size(Map)}}, loop(Map, Ops + 1);
        {From, Ref, {slow, Ms}} -> timer:sleep(Ms), From ! {Ref, slow_done}, loop(Map, Ops + 1);
        {_From, _Ref, stop} -> exit(stopped)
    end.
