-module(ets_select).
-export([start/0]).
-include_lib("stdlib/include/ms_transform.hrl").

%% ETS match specifications: select/2,3,1, select_count/delete/reverse,
%% fun2ms (a parse transform: erlc expands it), match_delete, match_spec_run,
%% and the rest of the table API programs use.
-record(emp, {id, name, dept, salary}).

start() ->
    T = ets:new(emps, [ordered_set, {keypos, #emp.id}]),
    ets:insert(T, [#emp{id = I, name = N, dept = D, salary = S}
                   || {I, N, D, S} <- [{1, "ann", eng, 120}, {2, "bob", ops, 80},
                                       {3, "cid", eng, 95}, {4, "dee", sales, 70},
                                       {5, "eve", eng, 150}, {6, "fay", ops, 88}]]),
    Rich = ets:fun2ms(fun(#emp{name = Nm, salary = Sa}) when Sa > 90 -> {Nm, Sa} end),
    io:format("~p~n", [Rich]),
    io:format("~p~n", [ets:select(T, Rich)]),
    io:format("~p~n", [ets:select(T, [{#emp{dept = eng, _ = '_'}, [], ['$_']}])]),
    io:format("~p~n", [ets:select(T, [{#emp{id = '$1', dept = '$2', _ = '_'},
                                       [{'orelse', {'==', '$2', ops}, {'>=', '$1', 5}}],
                                       ['$$']}])]),
    io:format("~p~n", [ets:select(T, [{{emp, '$1', '_', '_', '$2'}, [{is_integer, '$2'}],
                                       [{{'$1', {'*', '$2', 2}, {const, x}}}]}])]),
    io:format("~p~n", [ets:select_reverse(T, ets:fun2ms(fun(#emp{id = Id}) when Id < 3 -> Id end))]),
    io:format("~p~n", [ets:select_count(T, ets:fun2ms(fun(#emp{dept = Dp}) -> Dp =:= eng end))]),
    {C1, Cont} = ets:select(T, [{#emp{id = '$1', _ = '_'}, [], ['$1']}], 4),
    {C2, Cont2} = ets:select(Cont),
    io:format("~p ~p ~p~n", [C1, C2, Cont2]),
    io:format("~p~n", [ets:select(T, [{#emp{id = '$1', _ = '_'}, [{'>', '$1', 100}], ['$1']}], 2)]),
    io:format("~p~n", [ets:select_delete(T, ets:fun2ms(fun(#emp{salary = Sal}) -> Sal < 85 end))]),
    io:format("~p~n", [[E#emp.id || E <- ets:tab2list(T)]]),
    io:format("~p~n", [ets:match(T, #emp{id = '$2', name = '$1', dept = eng, _ = '_'})]),
    io:format("~p~n", [ets:match_object(T, #emp{dept = ops, _ = '_'})]),
    ets:match_delete(T, #emp{dept = ops, _ = '_'}),
    io:format("~p ~p ~p~n", [ets:first(T), ets:last(T), ets:prev(T, 5)]),
    io:format("~p~n", [ets:take(T, 3)]),
    io:format("~p~n", [ets:update_element(T, 5, {#emp.salary, 1})]),
    io:format("~p~n", [ets:lookup(T, 5)]),
    ets:delete_all_objects(T),
    io:format("~p~n", [ets:info(T, size)]),
    %% counters
    C = ets:new(counters, [set, named_table]),
    io:format("~p~n", [ets:update_counter(counters, hits, 1, {hits, 0})]),
    io:format("~p~n", [ets:update_counter(counters, hits, {2, 10})]),
    io:format("~p~n", [ets:update_counter(counters, hits, [{2, 1}, {2, 100, 50, 0}])]),
    ets:insert(C, {pair, 1, 2}),
    io:format("~p~n", [ets:update_counter(C, pair, [{2, 5}, {3, -1}])]),
    io:format("~p~n", [lists:sort(ets:tab2list(C))]),
    %% match_spec_run on plain lists, maps in patterns
    MS = ets:match_spec_compile([{{'$1', '$2'}, [{is_atom, '$1'}], [{{'$2', '$1'}}]}]),
    io:format("~p~n", [ets:match_spec_run([{a, 1}, {"b", 2}, {c, 3}, x], MS)]),
    M = ets:new(maps, [bag]),
    ets:insert(M, [{k, #{a => 1, b => 2}}, {k, #{a => 2}}, {j, #{b => 3}}]),
    io:format("~p~n", [lists:sort(ets:match(M, {'$1', #{a => '$2'}}))]),
    io:format("~p~n", [lists:sort(ets:select(M, [{{'_', #{b => '$1'}}, [{'>', '$1', 2}], ['$1']}]))]),
    io:format("~p~n", [try ets:select(T, not_a_spec) catch error:R -> R end]),
    ok.
