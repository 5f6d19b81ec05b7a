-module(hello_terms).
-export([start/0]).
%% io:format ~p of nested terms, as erl prints them.
start() ->
    io:format("hello, world~n"),
    T = {tuple, [1, 2.5, -3], #{key => <<"bin">>, 1 => [a | b]}, <<1, 2, 3>>,
         "string", 'Quoted atom', 12345678901234567890123, -0.001, 1.0e100},
    io:format("~p~n", [T]),
    io:format("~w~n", [T]),
    io:format("~p~n", [lists:seq(1, 40)]),
    io:format("~p~n", [[{N, N * N, integer_to_list(N)} || N <- lists:seq(1, 12)]]),
    io:format("~s and ~s~n", ["chars", <<"binary">>]),
    io:format("~10s|~-10s|~n", ["right", "left"]),
    io:format("~c~c~n", [$o, $k]),
    io:format("~b ~.16B ~.2b ~x ~i~n", [255, 255, 5, 255, "ignored"]),
    io:format("~e ~f ~g ~.2f ~10.3f~n", [3.14159, 2.0, 12345.678, 1.005, -7.5]),
    io:format("~p ~p ~p ~p~n", [0.1, 1.0e-10, 123456789.0, 2.0e22]),
    io:put_chars("put_chars\n"),
    io:put_chars(["deep", [$i, "o"], <<"list\n">>]),
    io:fwrite("fwrite ~p~n", [ok]),
    io:format("unicode: ~ts~n", [[955, 8364]]),
    io:nl().
