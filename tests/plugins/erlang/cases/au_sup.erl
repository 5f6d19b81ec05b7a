-module(au_sup).
-behaviour(supervisor).
-export([start/0, init/1, start_worker/1, worker_loop/1]).

start() ->
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link({local, au_sup}, ?MODULE, []),
    io:format("sup started: ~p~n", [is_pid(Sup)]),
    io:format("~p~n", [lists:sort([Id || {Id, _, _, _} <- supervisor:which_children(au_sup)])]),
    io:format("~p~n", [supervisor:count_children(au_sup)]),
    W1 = whereis(worker_a),
    exit(W1, kill),
    timer:sleep(20),
    W1b = whereis(worker_a),
    io:format("restarted: ~p~n", [is_pid(W1b) andalso W1b =/= W1]),
    worker_b ! {self(), ping},
    receive {pong, b} -> io:format("b answers~n") end,
    {ok, _} = supervisor:start_child(au_sup, #{id => worker_c, start => {?MODULE, start_worker, [worker_c]}}),
    io:format("~p~n", [lists:sort([Id || {Id, _, _, _} <- supervisor:which_children(au_sup)])]),
    ok = supervisor:terminate_child(au_sup, worker_c),
    ok = supervisor:delete_child(au_sup, worker_c),
    io:format("~p~n", [supervisor:count_children(au_sup)]),
    io:format("~p~n", [element(1, element(2, supervisor:start_child(au_sup, #{id => worker_a, start => {?MODULE, start_worker, [x]}})))]),
    exit(Sup, shutdown),
    receive {'EXIT', Sup, R} -> io:format("sup exit: ~p~n", [R]) end,
    io:format("~p~n", [whereis(worker_a)]),
    ok.

init([]) ->
    Flags = #{strategy => one_for_one, intensity => 5, period => 10},
    Children = [#{id => I, start => {?MODULE, start_worker, [I]}} || I <- [worker_a, worker_b]],
    {ok, {Flags, Children}}.

start_worker(Name) ->
    Pid = spawn_link(?MODULE, worker_loop, [Name]),
    register(Name, Pid),
    {ok, Pid}.

worker_loop(Name) ->
    receive
        {From, ping} -> From ! {pong, lists:last(atom_to_list(Name)) - $a + $a =:= $b andalso b}, worker_loop(Name)
    end.
