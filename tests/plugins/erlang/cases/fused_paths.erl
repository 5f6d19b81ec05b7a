-module(fused_paths).
-export([start/0]).
%% The slow and failing paths of the VM's specialised and fused instructions
%% (link.py / ops.h): + and - on registers overflowing into bignums, on floats
%% and on non-numbers; `1 + f(X)` and `H + f(T)` before a return; two float
%% operators in one dispatch failing in the first or the second; tuples built
%% just before a return; two =:= tests; lists built from y registers.

start() ->
    Big = 1 bsl 59,
    io:format("~p~n", [[inc(Big), inc(Big * 2), dec(-Big * 2), inc(1.5), dec(0.5)]]),
    io:format("~p~n", [[add(Big, Big), add(Big * 2, 1), sub(-Big * 2, 1), add(1.5, 2),
                        sub(3, 0.5)]]),
    io:format("~p~n", [[catch_reason(fun() -> inc(id(atom)) end),
                        catch_reason(fun() -> add(id(1), id([])) end),
                        catch_reason(fun() -> sub(id(<<>>), 1) end)]]),
    io:format("~p~n", [[count(lists:seq(1, 1000)), sum([Big, Big, Big, Big]),
                        sum([1.5, 2, 3]), sum(lists:seq(1, 100))]]),
    io:format("~p~n", [[catch_reason(fun() -> count(improper) end),
                        catch_reason(fun() -> sum([a, 1]) end)]]),
    io:format("~p~n", [[fchain(1.5, 2.0, 3.0), fchain(1.0e100, 1.0e100, 1.0),
                        catch_reason(fun() -> fchain(1.0e200, 1.0e200, 1.0) end),
                        catch_reason(fun() -> fchain(1.0, 1.0e300, 1.0e300) end),
                        catch_reason(fun() -> fchain(1.0e300, 1.0e8, 1.0e300) end)]]),
    io:format("~p~n", [[pair(1), wrap(2), wrap({x, y}), nested(3)]]),
    io:format("~p~n", [[kind({nil, nil}), kind({a, b}), kind({nil, b}), kind({a, nil}),
                        kind({1, 2, 3}), kind(nil), kind("ab")]]),
    io:format("~p~n", [[cells(1, 2), cells([], a), cells(x, [y])]]),
    io:format("~p~n", [[sizes({1}), sizes({1, 2}), sizes({1, 2, 3}), sizes(<<1>>), sizes(7)]]),
    io:format("~p~n", [walk(make(5))]),
    ok.

id(X) -> X.

inc(X) -> X + 1.
dec(X) -> X - 1.
add(X, Y) -> X + Y.
sub(X, Y) -> X - Y.

catch_reason(F) ->
    try F() of V -> {ok, V} catch error:R -> {error, R} end.

count([]) -> 0;
count([_ | T]) -> 1 + count(T).

sum([]) -> 0;
sum([H | T]) -> H + sum(T).

fchain(X, Y, Z) when is_float(X), is_float(Y), is_float(Z) ->
    B = X * Y + Y * Z,      % one line: neighbouring float operators fuse in unik's VM
    {X, B}.

pair(X) -> {X, X + 1}.
wrap(X) -> {ok, id(X)}.
nested(X) -> {id(X), {X, id(X)}}.

kind({nil, nil}) -> both_nil;
kind({a, b}) -> ab;
kind({A, B}) -> {pair, A, B};
kind(T) when is_tuple(T) -> {tuple, tuple_size(T)};
kind(X) -> {other, X}.

cells(A, B) ->
    C = id(A),
    D = id(B),
    [[C | D], [D | C], [C], id([D | []])].

sizes({_}) -> one;
sizes({_, _}) -> two;
sizes(T) when is_tuple(T) -> many;
sizes(X) -> {not_tuple, X}.

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

walk({nil, nil}) -> 1;
walk({L, R}) -> 1 + walk(L) + walk(R).
