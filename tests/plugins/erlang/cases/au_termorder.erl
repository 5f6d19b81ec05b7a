-module(au_termorder).
-export([start/0]).

start() ->
    Ref = make_ref(),
    Pid = self(),
    Fun = fun(X) -> X end,
    Mixed = [<<"bin">>, "list", {tuple}, #{m => 1}, atom, 42, 3.5, [], {}, Fun, Ref, Pid, -1, 1.0e100, <<>>, {a, b}, [a | b], nil],
    Sorted = lists:sort(Mixed),
    io:format("~p~n", [[kind(X) || X <- Sorted]]),
    io:format("~p~n", [lists:sort([{1, 2}, {1}, {0, 0, 0}, {2}])]),
    io:format("~p~n", [lists:sort([[1, 2], [1], [0, 5, 5], [1 | 2], "abc"])]),
    io:format("~p~n", [lists:sort([1, 1.0, 0.5, 2, -1.0e10, 10000000000000000000000])]),
    io:format("~p~n", [lists:usort([1, 1.0, 2])]),
    io:format("~p~n", [lists:sort([#{a => 2}, #{b => 1}, #{a => 1, c => 1}, #{a => 1}])]),
    io:format("~p~n", [lists:sort([<<1:1>>, <<0:2>>, <<1>>, <<0, 0>>, <<>>])]),
    io:format("~p~n", [lists:sort(fun({_, A}, {_, B}) -> A =< B end, [{x, 3}, {y, 1}, {z, 2}, {w, 1}])]),
    io:format("~p~n", [lists:sort(fun(A, B) -> length(A) > length(B) end, ["aa", "b", "cccc", "dd"])]),
    io:format("~p~n", [[erlang:phash2(T) || T <- [0, 1, atom, "str", <<"bin">>, {1, 2}, [1, [2]], 1.5, #{a => 1}, -1, 1 bsl 80]]]),
    io:format("~p~n", [[erlang:phash2(T, 1000) || T <- [a, b, c, {x, y}, "hello"]]]),
    io:format("~p~n", [[erlang:phash(T, 1 bsl 32) || T <- [a, "hello", 12345]]]),
    Terms = [hello, 123, -5, 1 bsl 100, 3.25, "string", <<"binary">>, {tuple, [list], #{k => v}},
             [1, 2 | 3], <<1:3>>, #{1 => 2, "k" => [x]}, 'quoted atom', [], {}, <<>>, fun lists:map/2],
    [begin
         B = term_to_binary(T),
         T2 = binary_to_term(B),
         io:format("~w ~p ~w~n", [T =:= T2, byte_size(B), B])
     end || T <- Terms],
    io:format("~p~n", [term_to_binary({a, [1, 2, 3]}, [{minor_version, 2}])]),
    io:format("~p~n", [binary_to_term(term_to_binary({1.5, atom}, [{minor_version, 0}]))]),
    io:format("~p~n", [catch binary_to_term(<<131, 1, 2>>)]),
    io:format("~p~n", [binary_to_term(<<131, 104, 2, 97, 1, 100, 0, 1, 120>>)]),
    {T3, Used} = binary_to_term(<<(term_to_binary(abc))/binary, "tail">>, [used]),
    io:format("~p~n", [{T3, Used}]),
    io:format("~p~n", [binary_to_term(term_to_binary(Fun)) =:= Fun]),
    io:format("~p~n", [(binary_to_term(term_to_binary(Fun)))(7)]),
    io:format("~p~n", [binary_to_term(term_to_binary(Ref)) =:= Ref]),
    io:format("~p~n", [erlang:external_size({a, "list", 1.0})]),
    io:format("~p~n", [[1 < a, a < {}, {} < #{}, #{} < [], [] < <<>>, 1 == 1.0, 1 =:= 1.0, {1} < {1, 0}]]),
    io:format("~p~n", [[max(a, 1), min("a", <<"a">>), max([], {})]]),
    ok.

kind(X) when is_integer(X) -> {int, X};
kind(X) when is_float(X) -> {float, X};
kind(X) when is_atom(X) -> {atom, X};
kind(X) when is_reference(X) -> ref;
kind(X) when is_function(X) -> 'fun';
kind(X) when is_pid(X) -> pid;
kind(X) when is_tuple(X) -> {tuple, X};
kind(X) when is_map(X) -> {map, X};
kind(X) when is_list(X) -> {list, X};
kind(X) when is_binary(X) -> {binary, X}.
