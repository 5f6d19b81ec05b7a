-module(au_event).
-behaviour(gen_event).
-export([start/0, init/1, handle_event/2, handle_call/2, handle_info/2, terminate/2]).
%% gen_event: a manager with two handlers, notify/sync_notify/call, handler removal.

start() ->
    {ok, M} = gen_event:start_link(),
    ok = gen_event:add_handler(M, {?MODULE, counter}, counter),
    ok = gen_event:add_handler(M, {?MODULE, logger}, logger),
    gen_event:notify(M, {temp, 21}),
    gen_event:sync_notify(M, {temp, 25}),
    gen_event:sync_notify(M, reset),
    gen_event:sync_notify(M, {temp, 30}),
    io:format("~p~n", [gen_event:call(M, {?MODULE, counter}, get)]),
    io:format("~p~n", [gen_event:call(M, {?MODULE, logger}, get)]),
    io:format("~p~n", [lists:sort(gen_event:which_handlers(M))]),
    io:format("~p~n", [gen_event:delete_handler(M, {?MODULE, logger}, bye)]),
    io:format("~p~n", [gen_event:which_handlers(M)]),
    io:format("~p~n", [gen_event:call(M, {?MODULE, logger}, get)]),
    gen_event:stop(M),
    ok.

init(counter) -> {ok, {counter, 0}};
init(logger) -> {ok, {logger, []}}.

handle_event({temp, _}, {counter, N}) -> {ok, {counter, N + 1}};
handle_event(reset, {counter, _}) -> {ok, {counter, 0}};
handle_event(E, {logger, L}) -> {ok, {logger, [E | L]}};
handle_event(_, S) -> {ok, S}.

handle_call(get, {K, V}) when is_list(V) -> {ok, {K, lists:reverse(V)}, {K, V}};
handle_call(get, S) -> {ok, S, S}.

handle_info(_, S) -> {ok, S}.

terminate(Arg, {logger, L}) -> io:format("logger terminating: ~p after ~p events~n", [Arg, length(L)]);
terminate(_, _) -> ok.
