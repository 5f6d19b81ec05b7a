-module(guards).
-export([start/0]).
classify(X) when is_integer(X), X > 0 -> pos_int;
classify(X) when is_integer(X) -> int;
classify(X) when is_float(X) -> float;
classify(X) when is_atom(X) -> atom;
classify(X) when is_binary(X) -> binary;
classify(X) when is_list(X), length(X) > 2 -> long_list;
classify(X) when is_list(X) -> list;
classify(X) when is_tuple(X), tuple_size(X) =:= 2 -> pair;
classify(X) when is_map(X) -> map;
classify(X) when is_function(X) -> function;
classify(X) when is_pid(X) -> pid;
classify(X) when is_reference(X) -> ref;
classify(_) -> other.
start() ->
    Xs = [1, -1, 1.0, a, <<>>, [1, 2, 3], [], {1, 2}, {1}, #{}, fun() -> ok end, self(),
          make_ref()],
    io:format("~p~n", [[classify(X) || X <- Xs]]),
    io:format("~p~n", [[X || X <- lists:seq(1, 20), X rem 3 =:= 0, X > 5]]),
    io:format("~p~n", [if 1 > 2 -> a; true -> b end]),
    io:format("~p~n", [[1 == 1.0, 1 =:= 1.0, 1 /= 2, a < b, {1} < {1, 1}, [] < [1]]]),
    io:format("~p~n", [[1 < a, a < make_ref(), {} < [], [] < <<>>, 2 > 1.5]]),
    io:format("~p~n", [(true andalso false) orelse true]),
    io:format("~p~n", [[X band 3 || X <- [5, 6, 7]]]),
    io:format("~p~n", [max(3, 7.0)]),
    io:format("~p~n", [min([1], a)]).
