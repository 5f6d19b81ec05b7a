-module(genserver).
-behaviour(gen_server).
-export([start/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).
%% gen_server: start_link, call, cast, info messages, a registered name, stop.
start() ->
    {ok, P} = gen_server:start_link({local, counter}, ?MODULE, 10, []),
    io:format("~p~n", [gen_server:call(counter, get)]),
    ok = gen_server:cast(counter, {add, 5}),
    io:format("~p~n", [gen_server:call(P, get)]),
    P ! {add, 100},
    io:format("~p~n", [gen_server:call(counter, get)]),
    io:format("~p~n", [gen_server:call(counter, {echo, [a, {b}]})]),
    io:format("~p~n", [catch gen_server:call(counter, slow, 50)]),
    {ok, Q} = gen_server:start(?MODULE, 0, []),
    io:format("~p~n", [gen_server:call(Q, get)]),
    ok = gen_server:stop(counter),
    io:format("~p~n", [whereis(counter)]),
    io:format("~p~n", [gen_server:start(?MODULE, fail, [])]).
init(fail) -> {stop, no_way};
init(N) -> {ok, N}.
handle_call(get, _From, N) -> {reply, N, N};
handle_call({echo, X}, _From, N) -> {reply, {echoed, X}, N};
handle_call(slow, _From, N) -> receive after 200 -> ok end, {reply, late, N}.
handle_cast({add, K}, N) -> {noreply, N + K}.
handle_info({add, K}, N) -> {noreply, N + K};
handle_info(_, N) -> {noreply, N}.
terminate(_Reason, _N) -> ok.
