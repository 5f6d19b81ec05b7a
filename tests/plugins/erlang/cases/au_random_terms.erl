-module(au_random_terms).
-export([start/0]).
%% Randomised (seeded) nested terms through ~p ~w ~P, term_to_binary,
%% binary_to_term, phash2, term order and == / =:=.

start() ->
    rand:seed(exsss, {5, 6, 7}),
    Terms = [term(4) || _ <- lists:seq(1, 120)],
    [io:format("~p~n~w~n~P~n~w ~w~n", [T, T, T, 7, erlang:phash2(T), erlang:phash2(T, 65536)])
     || T <- Terms],
    [io:format("~w~n", [term_to_binary(T)]) || T <- lists:sublist(Terms, 40)],
    io:format("~w~n", [[binary_to_term(term_to_binary(T)) =:= T || T <- Terms]]),
    io:format("~w~n", [[binary_to_term(term_to_binary(T, [{minor_version, 2}])) =:= T || T <- Terms]]),
    Sorted = lists:sort(Terms),
    io:format("~w~n", [[erlang:phash2(T) || T <- Sorted]]),
    io:format("~w~n", [[{A == B, A < B} || {A, B} <- lists:zip(Terms, lists:reverse(Terms))]]),
    io:format("~p~n", [lists:usort([term(1) || _ <- lists:seq(1, 60)])]),
    ok.

term(0) -> leaf();
term(D) ->
    case rand:uniform(9) of
        1 -> list_to_tuple([term(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)]);
        2 -> [term(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)];
        3 -> maps:from_list([{leaf(), term(D - 1)} || _ <- lists:seq(1, rand:uniform(5) - 1)]);
        4 -> [term(D - 1) | term(D - 1)];
        _ -> leaf()
    end.

leaf() ->
    case rand:uniform(12) of
        1 -> rand:uniform(1000) - 500;
        2 -> rand:uniform(1 bsl 90) - (1 bsl 89);
        3 -> (rand:uniform() - 0.5) * math:pow(10, rand:uniform(40) - 20);
        4 -> lists:nth(rand:uniform(6), [ok, error, 'Quoted', 'with space', '', nil]);
        5 -> [$a + rand:uniform(25) || _ <- lists:seq(1, rand:uniform(6))];
        6 -> list_to_binary([rand:uniform(255) || _ <- lists:seq(1, rand:uniform(6))]);
        7 -> <<"text">>;
        8 -> <<(rand:uniform(100)):(rand:uniform(12))>>;
        9 -> [];
        10 -> {};
        11 -> "unicode: " ++ [16#e9, 16#263a];
        12 -> -0.0
    end.
