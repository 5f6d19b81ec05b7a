-module(bigmap_order).
-export([start/0]).

%% Large maps (more than 32 keys) list, print and encode their pairs in
%% BEAM's order (the order of its hash trie), not in term order.
start() ->
    Ints = maps:from_list([{I, I * I} || I <- lists:seq(1, 40)]),
    show(ints, Ints),
    show(negs, maps:from_list([{-I * 7919, I} || I <- lists:seq(1, 50)])),
    show(floats, maps:from_list([{I / 4, I} || I <- lists:seq(1, 45)])),
    show(bigs, maps:from_list([{(1 bsl 64) + I * 1000003, I} || I <- lists:seq(1, 36)])),
    show(negbigs, maps:from_list([{-(1 bsl 70) - I, I} || I <- lists:seq(1, 36)])),
    show(edge, maps:from_list([{(1 bsl 59) - I, I} || I <- lists:seq(0, 20)] ++
                              [{(1 bsl 59) + I, I} || I <- lists:seq(0, 20)])),
    show(bins, maps:from_list([{integer_to_binary(I), I} || I <- lists:seq(1, 60)])),
    show(longbins, maps:from_list([{list_to_binary(lists:duplicate(I, $x)), I}
                                   || I <- lists:seq(0, 40)])),
    show(bits, maps:from_list([{<<I:13>>, I} || I <- lists:seq(1, 40)])),
    show(strings, maps:from_list([{integer_to_list(I * 37), I} || I <- lists:seq(1, 40)])),
    show(lists, maps:from_list([{[I, {I}, "ab" ++ [I]], I} || I <- lists:seq(1, 40)])),
    show(improper, maps:from_list([{[I | I + 1], I} || I <- lists:seq(1, 40)])),
    show(tuples, maps:from_list([{{I, I * 2.5, <<I>>}, I} || I <- lists:seq(1, 40)])),
    show(nested, maps:from_list([{{[I], {}, [], <<>>}, I} || I <- lists:seq(1, 40)])),
    show(mixed, maps:from_list([{K, x} || K <- [1.0, 1, -0.0, 2, <<"a">>, "a", {7}, [],
                                               {}, <<>>, 3.5 | lists:seq(100, 130)]])),
    show(smallmap_keys, maps:from_list([{#{0 => I, I => [I]}, I} || I <- lists:seq(1, 40)])),
    Big = maps:from_list([{I, I} || I <- lists:seq(1, 2000)]),
    io:format("~w~n", [lists:sublist(maps:keys(Big), 50)]),
    io:format("~w~n", [erlang:phash2(maps:keys(Big))]),
    show(bigmap_keys, maps:from_list([{maps:from_list([{J, J} || J <- lists:seq(I, I + 40)]), I}
                                      || I <- lists:seq(1, 35)])),
    ok.

show(Name, M) ->
    io:format("~p ~w~n", [Name, map_size(M)]),
    io:format("~w~n", [maps:keys(M)]),
    io:format("~w~n", [M]),
    io:format("~p~n", [M]),
    io:format("~w~n", [maps:fold(fun(K, _, A) -> [K | A] end, [], M)]),
    io:format("~w~n", [maps:to_list(M) =:= lists:zip(maps:keys(M), maps:values(M))]),
    io:format("~w~n", [erlang:md5(term_to_binary(M))]).
