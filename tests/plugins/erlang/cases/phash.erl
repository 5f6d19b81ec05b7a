-module(phash).
-export([start/0]).

%% erlang:phash2/1,2 must give erl's numbers: they decide sets/dict order.
start() ->
    Terms = [0, 1, -1, 42, 1 bsl 27, -(1 bsl 27), 1 bsl 40, -(1 bsl 40), 1 bsl 59,
             1 bsl 64, -(1 bsl 100), 1 bsl 200, 0.0, -0.0, 1.5, -2.25e10, a, abc,
             'hello_world', 'é', 'ünïcødé', [], "a", "abcd", "abcde", [1000], [a, b, c],
             [1, 2 | 3], {}, {a}, {a, b, c}, {1, {2, {3, []}}}, <<>>, <<1>>,
             <<"hello, world!">>, <<"0123456789abcdefghij">>, <<1:1>>, <<5:3>>,
             <<1, 2, 3:4>>, #{}, #{a => 1}, #{b => 2, a => 1}, #{[x] => {y}, 1 => 2.0},
             maps:from_list([{I, I * I} || I <- lists:seq(1, 40)]),
             fun lists:map/2, lists:seq(1, 1000), [lists:seq(1, 10), "x" | <<"y">>]],
    lists:foreach(fun(T) -> io:format("~w ~w~n", [erlang:phash2(T), erlang:phash2(T, 1000)]) end,
                  Terms),
    io:format("~w~n", [erlang:phash2(<<0:800>>, 1 bsl 32)]),
    Sub = binary:part(<<"xxhello, world!">>, 2, 13),
    io:format("~w~n", [erlang:phash2(Sub)]),
    <<_:3, Odd/bitstring>> = <<"unaligned bits here">>,
    io:format("~w~n", [erlang:phash2(Odd)]),
    S = sets:from_list([apple, banana, cherry, 1, 2, 3, "str", {t, 1}]),
    io:format("~p~n", [sets:to_list(S)]),
    D = dict:from_list([{K, V} || {K, V} <- lists:zip(lists:seq(1, 20), lists:seq(101, 120))]),
    io:format("~p~n", [dict:fetch_keys(D)]),
    io:format("~p~n", [try erlang:phash2(x, 0) catch error:R -> R end]).
