-module(au_gs_features).
-behaviour(gen_server).
-export([start/0, init/1, handle_call/3, handle_cast/2, handle_info/2, handle_continue/2, terminate/2]).
%% gen_server: handle_continue, hibernate, idle timeouts, reply/2 from elsewhere,
%% call to a dead server, stop with a reason and terminate/2.

start() ->
    {ok, P} = gen_server:start(?MODULE, [], []),
    io:format("~p~n", [gen_server:call(P, log)]),
    io:format("~p~n", [gen_server:call(P, {hib, 1})]),
    io:format("~p~n", [gen_server:call(P, {hib, 2})]),
    io:format("~p~n", [gen_server:call(P, deferred)]),
    timer:sleep(60),
    io:format("~p~n", [gen_server:call(P, log)]),
    gen_server:cast(P, {set_timeout, 20}),
    timer:sleep(60),
    io:format("~p~n", [gen_server:call(P, log)]),
    Ref = monitor(process, P),
    ok = gen_server:stop(P, {shutdown, done}, 1000),
    receive {'DOWN', Ref, process, P, R} -> io:format("down: ~p~n", [R]) end,
    io:format("~p~n", [catch gen_server:call(P, log)]),
    ok.

init([]) -> {ok, [init], {continue, warmup}}.

handle_continue(warmup, Log) -> {noreply, [continued | Log]}.

handle_call(log, _From, Log) -> {reply, lists:reverse(Log), Log};
handle_call({hib, N}, _From, Log) -> {reply, {hibernating, N}, [{hib, N} | Log], hibernate};
handle_call(deferred, From, Log) ->
    spawn(fun() -> timer:sleep(10), gen_server:reply(From, replied_later) end),
    {noreply, [deferred | Log]}.

handle_cast({set_timeout, T}, Log) -> {noreply, [{timeout_set, T} | Log], T}.

handle_info(timeout, Log) -> {noreply, [timed_out | Log]};
handle_info(_, Log) -> {noreply, Log}.

terminate(Reason, Log) -> io:format("terminate ~p after ~p entries~n", [Reason, length(Log)]).
