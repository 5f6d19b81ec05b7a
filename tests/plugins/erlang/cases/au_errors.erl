-module(au_errors).
-export([start/0]).

start() ->
    io:format("~p~n", [catch throw(thrown)]),
    io:format("~p~n", [catch error(custom)]),
    io:format("~p~n", [catch exit(bye)]),
    io:format("~p~n", [catch 1 + a()]),
    io:format("~p~n", [catch erlang:error({my_error, [1, 2], #{why => "x"}})]),
    io:format("~p~n", [nested()]),
    io:format("~p~n", [classify(fun() -> throw(t) end)]),
    io:format("~p~n", [classify(fun() -> error(e) end)]),
    io:format("~p~n", [classify(fun() -> exit(x) end)]),
    io:format("~p~n", [classify(fun() -> element(5, {1}) end)]),
    io:format("~p~n", [classify(fun() -> list_to_atom(42) end)]),
    io:format("~p~n", [classify(fun() -> [] = [1] end)]),
    io:format("~p~n", [classify(fun() -> case 3 of 1 -> ok end end)]),
    io:format("~p~n", [classify(fun() -> if_fail(3) end)]),
    io:format("~p~n", [classify(fun() -> fc(3) end)]),
    io:format("~p~n", [classify(fun() -> (fun(a) -> ok end)(b) end)]),
    io:format("~p~n", [classify(fun() -> undefined_module_xyz:f() end)]),
    io:format("~p~n", [classify(fun() -> ?MODULE:not_exported() end)]),
    io:format("~p~n", [classify(fun() -> (fun(A) -> A end)(1, 2) end)]),
    io:format("~p~n", [classify(fun() -> binary_to_atom(<<0:1>>) end)]),
    io:format("~p~n", [classify(fun() -> try error(inner) catch error:inner -> error(outer) end end)]),
    io:format("~p~n", [classify(fun() -> erlang:raise(throw, raised, []) end)]),
    io:format("~p~n", [classify(fun() -> #{}#{a := 1} end)]),
    io:format("~p~n", [classify(fun() -> try ok of nomatch -> 1 catch _ -> 2 end end)]),
    io:format("~p~n", [classify(fun() -> tuple_size(notatuple) end)]),
    io:format("~p~n", [classify(fun() -> atom_to_list("str") end)]),
    io:format("~p~n", [classify(fun() -> erlang:error(badarg, [x]) end)]),
    io:format("~p~n", [classify(fun() -> hd([]) end)]),
    io:format("~p~n", [classify(fun() -> exit(self(), normal), done end)]),
    {_, _, Trace} = try error(traced) catch Cl:Rs:St -> {Cl, Rs, St} end,
    [{M, F, A, _} | _] = Trace,
    io:format("top frame: ~p~n", [{M, F, A}]),
    try lists:map(fun(X) -> 1 / X end, [1, 0])
    catch error:badarith:St2 ->
        io:format("~p~n", [[{Mo, Fu, Ar} || {Mo, Fu, Ar, _} <- lists:sublist(St2, 2)]])
    end,
    R = try
            try throw(a)
            after io:format("inner after~n")
            end
        catch throw:a -> caught_a
        after io:format("outer after~n")
        end,
    io:format("~p~n", [R]),
    io:format("~p~n", [after_value()]),
    io:format("~p~n", [(catch erlang:error(with_args, [1, 2]))]),
    ok.

a() -> a.
if_fail(X) -> if X > 5 -> big end.
fc(1) -> one.

nested() ->
    try
        try error(deep)
        catch error:deep -> throw({rethrown, deep})
        after put(after_ran, true)
        end
    catch throw:{rethrown, W} -> {caught, W, get(after_ran)}
    end.

classify(F) ->
    try F() of
        V -> {value, V}
    catch
        throw:T -> {throw, T};
        error:{badmatch, _} = E -> {badmatch_error, E};
        error:E:S -> {error, E, length(S) > 0};
        exit:X -> {exit, X}
    end.

after_value() ->
    try 42
    after 43
    end.
