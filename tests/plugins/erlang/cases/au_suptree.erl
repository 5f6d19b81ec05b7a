-module(au_suptree).
-behaviour(supervisor).
-export([start/0, init/1, start_child/1, child_loop/1]).
%% rest_for_one and one_for_all restarts; restart intensity exceeded.

start() ->
    {ok, S} = supervisor:start_link(?MODULE, rest_for_one),
    Ids = fun(Sup) -> [{Id, is_pid(P)} || {Id, P, _, _} <- lists:reverse(supervisor:which_children(Sup))] end,
    io:format("~p~n", [Ids(S)]),
    Before = [P || {_, P, _, _} <- supervisor:which_children(S)],
    exit(whereis(c2), kill),
    timer:sleep(30),
    After = [P || {_, P, _, _} <- supervisor:which_children(S)],
    io:format("restarted: ~p~n", [[B =/= A || {B, A} <- lists:zip(Before, After)]]),
    {ok, S2} = supervisor:start_link(?MODULE, one_for_all),
    B2 = [P || {_, P, _, _} <- supervisor:which_children(S2)],
    exit(whereis(d1), kill),
    timer:sleep(30),
    A2 = [P || {_, P, _, _} <- supervisor:which_children(S2)],
    io:format("all restarted: ~p~n", [[B =/= A || {B, A} <- lists:zip(B2, A2)]]),
    unlink(S2),
    Ref = monitor(process, S2),
    [begin exit(whereis(d2), kill), timer:sleep(10) end || _ <- lists:seq(1, 4)],
    receive {'DOWN', Ref, process, S2, Why} -> io:format("supervisor gave up: ~p~n", [Why])
    after 2000 -> io:format("supervisor still alive~n")
    end,
    ok.

init(rest_for_one) ->
    {ok, {#{strategy => rest_for_one, intensity => 3, period => 5},
          [child(c1), child(c2), child(c3)]}};
init(one_for_all) ->
    {ok, {#{strategy => one_for_all, intensity => 2, period => 5},
          [child(d1), child(d2)]}}.

child(Name) -> #{id => Name, start => {?MODULE, start_child, [Name]}, shutdown => brutal_kill}.

start_child(Name) ->
    Pid = spawn_link(?MODULE, child_loop, [Name]),
    register(Name, Pid),
    {ok, Pid}.

child_loop(Name) -> receive stop -> ok; _ -> child_loop(Name) end.
