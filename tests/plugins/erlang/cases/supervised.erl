-module(supervised).
%% supervisor (one_for_one restart of a killed worker) and gen_statem (state functions).
-behaviour(supervisor).
-export([start/0, init/1, worker_start/0, worker_loop/0]).
start() ->
    {ok, S} = supervisor:start_link({local, top}, ?MODULE, []),
    [{w, Pid, worker, _}] = supervisor:which_children(S),
    io:format("~p~n", [is_pid(Pid)]),
    exit(Pid, kill),
    receive after 50 -> ok end,
    [{w, Pid2, worker, _}] = supervisor:which_children(S),
    io:format("restarted: ~p~n", [Pid2 =/= Pid]),
    {ok, M} = gen_statem:start(light, [], []),
    io:format("~p~n", [gen_statem:call(M, push)]),
    io:format("~p~n", [gen_statem:call(M, push)]).
init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10},
          [#{id => w, start => {?MODULE, worker_start, []}}]}}.
worker_start() -> {ok, spawn_link(?MODULE, worker_loop, [])}.
worker_loop() -> receive _ -> worker_loop() end.
