-module(atoms).
-export([start/0]).
start() ->
    io:format("~p~n", [['hello', 'Hello', 'with space', 'a-b', '123', 'ok@host', 'é', [], '[]',
                        'true', 'end', 'case', 'quote\'s']]),
    io:format("~w~n", ['Cap']),
    io:format("~p~n", [lists:sort([zeta, alpha, 'Beta', beta])]),
    io:format("~p~n", [atom_to_list('with space')]),
    io:format("~p~n", [list_to_atom("made_" ++ integer_to_list(42))]),
    io:format("~p~n", [is_atom(true)]),
    io:format("~s~n", [atom_to_list(node())]).
