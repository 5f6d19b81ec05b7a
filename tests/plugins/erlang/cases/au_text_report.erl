-module(au_text_report).
-export([start/0]).
%% A sales report: grouping, sorting, totals, aligned columns.

sales() ->
    [{"north", "widget", 12, 2.50}, {"south", "gadget", 3, 19.99},
     {"north", "gadget", 7, 19.99}, {"east", "widget", 30, 2.45},
     {"south", "widget", 1, 2.50}, {"east", "doohickey", 2, 105.0},
     {"west", "gadget", 0, 19.99}, {"north", "doohickey", 1, 99.5}].

start() ->
    Rows = sales(),
    io:format("~-8s ~-10s ~5s ~9s ~10s~n", ["region", "product", "qty", "price", "total"]),
    io:format("~s~n", [lists:duplicate(46, $-)]),
    [io:format("~-8s ~-10s ~5B ~9.2f ~10.2f~n", [R, P, Q, Pr, Q * Pr])
     || {R, P, Q, Pr} <- lists:sort(Rows)],
    ByRegion = lists:foldl(fun({R, _, Q, Pr}, Acc) ->
        maps:update_with(R, fun(T) -> T + Q * Pr end, Q * Pr, Acc) end, #{}, Rows),
    io:format("~n~s~n", ["per region"]),
    [io:format("~*s: ~12.3e ~10.1f~n", [-10, R, T, T]) || {R, T} <- maps:to_list(ByRegion)],
    Best = lists:reverse(lists:keysort(2, maps:to_list(ByRegion))),
    io:format("best: ~s (~.2f)~n", [element(1, hd(Best)), element(2, hd(Best))]),
    Total = lists:sum([Q * Pr || {_, _, Q, Pr} <- Rows]),
    io:format("grand total: ~w / ~p / ~.4g / ~s~n", [Total, Total, Total, float_to_list(Total, [{decimals, 2}])]),
    io:format("share: ~s~n", [string:join([io_lib:format("~s=~.1f%", [R, 100 * T / Total]) || {R, T} <- maps:to_list(ByRegion)], ", ")]),
    Hist = [{R, lists:duplicate(round(T / 10), $#)} || {R, T} <- maps:to_list(ByRegion)],
    [io:format("~-6s|~s~n", [R, H]) || {R, H} <- Hist],
    io:format("~p~n", [ByRegion]),
    ok.
