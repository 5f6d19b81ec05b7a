-module(au_pipeline).
-export([start/0]).
%% A producer -> N workers -> collector pipeline, with order restored by sequence numbers.

start() ->
    Collector = spawn_link(fun() -> collector(self_parent(), #{}, 0, 20) end),
    put(collector, Collector),
    Me = self(),
    Workers = [spawn_link(fun() -> worker(Id, Collector, Me, 0) end) || Id <- lists:seq(1, 4)],
    Jobs = lists:zip(lists:seq(1, 20), [lists:seq(1, N) || N <- lists:seq(1, 20)]),
    dispatch(Jobs, Workers),
    Collector ! {parent, self()},
    receive {results, Rs} -> io:format("~p~n", [Rs]) end,
    [W ! stop || W <- Workers],
    Stats = [receive {stopped, Id, Count} -> {Id, Count} end || _ <- Workers],
    io:format("~p~n", [lists:sum([C || {_, C} <- Stats])]),
    ok.

self_parent() -> undefined.

dispatch([], _) -> ok;
dispatch([Job | Jobs], [W | Ws]) -> W ! {job, Job, self()}, dispatch(Jobs, Ws ++ [W]).

worker(Id, Collector, Parent, Count) ->
    receive
        {job, {Seq, Data}, _Boss} ->
            Collector ! {result, Seq, lists:sum([X * X || X <- Data])},
            worker(Id, Collector, Parent, Count + 1);
        stop ->
            Parent ! {stopped, Id, Count}
    end.

collector(_, Acc, N, N) ->
    receive {parent, P} -> P ! {results, [V || {_, V} <- lists:sort(maps:to_list(Acc))]} end;
collector(X, Acc, N, Max) ->
    receive {result, Seq, V} -> collector(X, Acc#{Seq => V}, N + 1, Max) end.
