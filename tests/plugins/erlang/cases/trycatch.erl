-module(trycatch).
-export([start/0]).
t(F) ->
    try F() of
        V -> {ok, V}
    catch
        throw:T -> {thrown, T};
        error:E -> {error, E};
        exit:X -> {exit, X}
    after
        io:format("after~n")
    end.
start() ->
    io:format("~p~n", [t(fun() -> 1 + list_to_atom("a") end)]),
    io:format("~p~n", [t(fun() -> throw(ball) end)]),
    io:format("~p~n", [t(fun() -> exit(out) end)]),
    io:format("~p~n", [t(fun() -> erlang:error({custom, 1}) end)]),
    io:format("~p~n", [t(fun() -> [] = [1] end)]),
    io:format("~p~n", [t(fun() -> element(5, {1}) end)]),
    io:format("~p~n", [t(fun() -> case 3 of 1 -> a end end)]),
    io:format("~p~n", [t(fun() -> ok end)]),
    io:format("~p~n", [element(1, element(2, catch 10 div 0))]),
    io:format("~p~n", [catch throw(x)]),
    {'EXIT', {badarith, _}} = (catch 1 / 0),
    try erlang:raise(error, reraised, []) catch error:R:St -> io:format("~p ~p~n", [R, St]) end,
    try
        try throw(inner) after io:format("inner after~n") end
    catch C:V -> io:format("outer ~p:~p~n", [C, V])
    end,
    io:format("~p~n", [t(fun() -> nomatch(2) end)]).
nomatch(1) -> one.
