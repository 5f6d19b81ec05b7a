-module(inventory).
-export([start/0]).

-record(item, {sku, name, qty = 0, price = 0.0, tags = []}).

items() ->
    [#item{sku = "A-100", name = "widget", qty = 12, price = 2.50, tags = [metal, small]},
     #item{sku = "B-200", name = "gadget", qty = 0, price = 19.99, tags = [plastic]},
     #item{sku = "A-101", name = "sprocket", qty = 40, price = 0.75, tags = [metal]},
     #item{sku = "C-300", name = "doohickey", qty = 3, price = 7.25, tags = []},
     #item{sku = "B-201", name = "gizmo", qty = 7, price = 12.00, tags = [plastic, small]}].

start() ->
    Items = items(),
    ByPrice = lists:keysort(#item.price, Items),
    io:format("~p~n", [[I#item.name || I <- ByPrice]]),
    {InStock, Out} = lists:partition(fun(#item{qty = Q}) -> Q > 0 end, Items),
    io:format("in stock ~b, out ~p~n", [length(InStock), [I#item.sku || I <- Out]]),
    Value = lists:foldl(fun(#item{qty = Q, price = P}, Acc) -> Acc + Q * P end, 0, Items),
    io:format("stock value ~.2f~n", [Value]),
    Tags = lists:usort(lists:flatmap(fun(#item{tags = T}) -> T end, Items)),
    io:format("tags ~p~n", [Tags]),
    ByTag = lists:foldl(fun(#item{sku = S, tags = Ts}, D) ->
                                lists:foldl(fun(T, D2) -> orddict:append(T, S, D2) end, D, Ts)
                        end, orddict:new(), Items),
    io:format("~p~n", [ByTag]),
    Groups = maps:groups_from_list(fun(#item{sku = [C | _]}) -> C end,
                                   fun(#item{name = N}) -> N end, Items),
    io:format("~p~n", [Groups]),
    T = gb_trees:from_orddict(lists:sort([{I#item.sku, I#item.qty} || I <- Items])),
    io:format("~p ~p~n", [gb_trees:lookup("A-101", T), gb_trees:smallest(T)]),
    io:format("~p~n", [gb_trees:to_list(gb_trees:update("C-300", 99, T))]),
    PL = [{color, red}, {size, 3}, debug, {size, 4}],
    io:format("~p~n", [{proplists:get_value(size, PL), proplists:get_bool(debug, PL),
                        proplists:get_all_values(size, PL), proplists:lookup(color, PL)}]),
    KL = [{b, 2}, {a, 1}],
    io:format("~p~n", [{lists:keyfind(a, 1, KL), lists:keystore(c, 1, KL, {c, 3}),
                        lists:keydelete(b, 1, KL), lists:keyreplace(a, 1, KL, {a, 10}),
                        lists:ukeymerge(1, [{a, x}], [{a, y}, {z, 0}])}]),
    io:format("~p~n", [lists:zipwith(fun(X, Y) -> X * Y end, [1, 2, 3], [4, 5, 6])]),
    io:format("~p~n", [lists:splitwith(fun(X) -> X < 3 end, [1, 2, 3, 1])]),
    io:format("~p~n", [{lists:max([3, 9, 2]), lists:min([3, 9, 2]), lists:sum([1, 2, 3]),
                        lists:nth(2, [a, b]), lists:last([a, b, c]), lists:seq(10, 1, -3)}]),
    io:format("~p~n", [lists:mapfoldl(fun(X, S) -> {X * 2, S + X} end, 0, [1, 2, 3])]),
    io:format("~p~n", [lists:dropwhile(fun(X) -> X < 3 end, [1, 2, 3, 4])]),
    io:format("~p~n", [lists:subtract([1, 2, 3, 2], [2]) ++ lists:append([[a], [b]])]),
    Tab = ets:new(stock, [ordered_set]),
    ets:insert(Tab, [{I#item.sku, I#item.qty} || I <- Items]),
    ets:update_counter(Tab, "A-100", -5),
    io:format("~p~n", [ets:tab2list(Tab)]),
    io:format("~p~n", [ets:foldl(fun({_, Q}, Acc) -> Acc + Q end, 0, Tab)]),
    Low = ets:select(Tab, [{{'$1', '$2'}, [{'<', '$2', 8}], ['$1']}]),
    io:format("low stock: ~s~n", [string:join(Low, ", ")]),
    io:format("~p~n", [dict:to_list(dict:from_list([{k, 1}, {j, 2}]))]),
    S = sets:from_list([3, 1, 2, 3], [{version, 2}]),
    io:format("~p ~p~n", [lists:sort(sets:to_list(S)), sets:is_element(2, S)]),
    io:format("~p~n", [{calendar:day_of_the_week(2024, 2, 29), calendar:is_leap_year(1900),
                        calendar:gregorian_days_to_date(739000)}]),
    io:format("~p~n", [#item{sku = "X"}]),
    io:format("~p~n", [record_info(fields, item)]).
