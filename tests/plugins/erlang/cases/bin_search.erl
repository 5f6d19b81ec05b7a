-module(bin_search).
-export([start/0]).
%% binary:split/match/matches with one and several patterns, scopes, trim,
%% overlaps, and a global split into more than 4,096 pieces.
start() ->
    B = <<"aaXbbXXcXaXXXend aXa">>,
    [io:format("~p~n", [R]) || R <- [
        binary:split(B, <<"X">>), binary:split(B, <<"X">>, [global]),
        binary:split(B, <<"XX">>, [global]), binary:split(B, [<<"X">>, <<"XX">>], [global]),
        binary:split(B, <<"X">>, [global, trim]), binary:split(B, <<"a">>, [global, trim_all]),
        binary:split(B, <<"X">>, [{scope, {3, 6}}, global]),
        binary:matches(B, <<"X">>), binary:matches(B, [<<"aX">>, <<"a">>]),
        binary:match(B, <<"end">>), binary:match(B, <<"zz">>), binary:match(B, <<"a">>, [{scope, {19, 1}}]),
        binary:split(<<"abc">>, <<"abcd">>), binary:split(<<"abc">>, <<"c">>), binary:split(<<"abc">>, <<"a">>),
        binary:matches(<<"aaaa">>, <<"aa">>), binary:split(<<>>, <<"a">>)]],
    Big = binary:copy(<<1,2,3,0,1,0,0,9>>, 50000),
    io:format("~w ~w~n", [length(binary:split(Big, <<0,1,0,0>>, [global])), length(binary:matches(Big, [<<9,1>>, <<3>>]))]).
