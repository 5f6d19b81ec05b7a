-module(maps_large).
-export([start/0]).
%% Maps far above 32 keys (hash tries in both VMs): 10^5 keys inserted,
%% looked up, removed, iterated and compared. Large maps iterate in an
%% implementation-defined order, so what is printed of them is sorted first;
%% a map shrunk to 32 keys or fewer is flat again and printed as it is.

-define(N, 100000).

start() ->
    M = insert(0, #{}),
    io:format("size ~w~n", [map_size(M)]),
    io:format("lookup sum ~w~n", [lookup_sum(0, M, 0)]),
    io:format("absent ~w ~w ~w~n", [maps:find(-1, M), maps:get(?N, M, none),
                                     maps:is_key(7 * 3, M)]),
    Evens = remove_evens(0, M),
    io:format("after removing evens ~w, has 2: ~w, has 3: ~w~n",
              [map_size(Evens), maps:is_key(2 * 7, Evens), maps:is_key(3 * 7, Evens)]),
    %% iteration: every key once, whatever the order
    L = maps:to_list(M),
    io:format("to_list ~w sorted head ~w~n", [length(L), lists:sublist(lists:sort(L), 3)]),
    io:format("fold ~w~n", [maps:fold(fun(K, V, A) -> A + K + V end, 0, M)]),
    io:format("iterator ~w~n", [count_iter(maps:next(maps:iterator(M)), 0)]),
    io:format("keys ~w values ~w~n", [lists:sum(maps:keys(M)), lists:sum(maps:values(M))]),
    %% equality and order: built in other orders, they are the same map
    M2 = maps:from_list([{I * 7, I} || I <- lists:reverse(lists:seq(0, ?N - 1))]),
    M3 = lists:foldl(fun(I, A) -> maps:put(I * 7, I, A) end, #{}, lists:seq(?N - 1, 0, -1)),
    io:format("equal ~w ~w ~w~n", [M =:= M2, M2 =:= M3, M == M3]),
    Mf = maps:map(fun(_, V) -> float(V) end, M),
    io:format("floats: == ~w =:= ~w less ~w~n", [M == Mf, M =:= Mf, M < Mf]),
    Mx = maps:put(-5, x, maps:remove(7, M)),
    io:format("order ~w ~w ~w~n", [M < Mx, Mx < M, lists:sort([M, Mx, #{}, Evens]) =:= [#{}, Evens, Mx, M]]),
    Mv = M#{700 := changed},
    io:format("value order ~w ~w~n", [M < Mv, Mv =:= M]),
    %% shrinking back below 33 keys: a flat map again, printed like erl prints it
    Small = maps:with([I * 7 || I <- lists:seq(0, 19)], M),
    io:format("~p~n", [Small]),
    Shrunk = lists:foldl(fun(I, A) -> maps:remove(I * 7, A) end, M, lists:seq(25, ?N - 1)),
    io:format("~w~n", [Shrunk]),
    %% mixed keys; 1 and 1.0 are different keys
    Keys = [1, 1.0, -0.0, a, "str", <<"bin">>, <<1:3>>, {t, 1}, [1, 2], #{k => v},
            maps:from_list([{I, I} || I <- lists:seq(1, 40)]), 12345678901234567890123,
            self(), fun erlang:abs/1],
    Mixed = lists:foldl(fun({I, K}, A) -> A#{K => I} end, M,
                        lists:zip(lists:seq(1, length(Keys)), Keys)),
    io:format("mixed ~w ~w~n", [map_size(Mixed), [maps:get(K, Mixed) || K <- Keys]]),
    io:format("lookups ~w ~w ~w~n", [maps:find(1, Mixed), maps:find(1.0, Mixed),
                                     maps:find(0.0, Mixed)]),
    Big40 = maps:from_list([{I, I} || I <- lists:seq(40, 1, -1)]),
    io:format("map key ~w~n", [maps:get(Big40, Mixed)]),
    %% matching and updates
    #{700 := V700, 7 := V7} = M,
    io:format("match ~w ~w~n", [V700, V7]),
    {Taken, M4} = maps:take(14, M),
    io:format("take ~w ~w ~w~n", [Taken, map_size(M4), maps:take(-3, M)]),
    io:format("badkey ~w~n", [try maps:update(-3, x, M) catch error:{badkey, K1} -> K1 end]),
    io:format("badkey ~w~n", [try M#{-3 := x} catch error:{badkey, K2} -> K2 end]),
    io:format("update ~w~n", [maps:get(21, maps:update(21, new, M))]),
    %% merge, filter, without
    Mm = maps:merge(M, #{1 => one, 7 => seven}),
    Mm2 = maps:merge(#{1 => one, 7 => seven}, M),
    Mm3 = maps:merge(M, maps:from_list([{I * 7 + 1, I} || I <- lists:seq(0, ?N - 1)])),
    io:format("merge ~w ~w ~w ~w ~w~n", [map_size(Mm), maps:get(7, Mm), maps:get(7, Mm2),
                                          map_size(Mm3), maps:get(8, Mm3)]),
    F = maps:filter(fun(K, _) -> K rem 2 =:= 0 end, M),
    io:format("filter ~w ~w~n", [map_size(F), F =:= Evens]),
    W = maps:without([I * 7 || I <- lists:seq(0, ?N - 1, 2)], M),
    io:format("without ~w ~w~n", [map_size(W), lists:sum(maps:values(W))]),
    %% a literal map of more than 32 keys (flat in the image), updated
    Lit = literal(),
    Lit2 = Lit#{z => 26},
    io:format("literal ~w ~w ~w ~w~n", [map_size(Lit), maps:get(k20, Lit), map_size(Lit2),
                                         Lit =:= maps:remove(z, Lit2)]),
    io:format("literal sorted ~w~n", [lists:sublist(lists:sort(maps:to_list(Lit)), 4)]),
    %% sent to another process (copied) and back
    Self = self(),
    P = spawn(fun() -> receive Map -> Self ! {back, map_size(Map), Map} end end),
    P ! M,
    receive {back, Sz, Back} -> io:format("message ~w ~w~n", [Sz, Back =:= M]) end,
    %% many versions alive at once, collected as they die
    Versions = lists:foldl(fun(I, [H | _] = Acc) -> [H#{I => I} | Acc] end, [M],
                           lists:seq(1, 200)),
    io:format("versions ~w~n", [[map_size(V) || V <- lists:sublist(Versions, 3)]]),
    ok.

insert(?N, M) -> M;
insert(I, M) -> insert(I + 1, M#{I * 7 => I}).

lookup_sum(?N, _, S) -> S;
lookup_sum(I, M, S) -> #{(I * 7) := V} = M, lookup_sum(I + 1, M, S + V).

remove_evens(I, M) when I >= ?N -> M;
remove_evens(I, M) -> remove_evens(I + 2, maps:remove(I * 7, M)).

count_iter(none, N) -> N;
count_iter({_, _, I}, N) -> count_iter(maps:next(I), N + 1).

literal() ->
    #{k1 => 1, k2 => 2, k3 => 3, k4 => 4, k5 => 5, k6 => 6, k7 => 7, k8 => 8, k9 => 9,
      k10 => 10, k11 => 11, k12 => 12, k13 => 13, k14 => 14, k15 => 15, k16 => 16,
      k17 => 17, k18 => 18, k19 => 19, k20 => 20, k21 => 21, k22 => 22, k23 => 23,
      k24 => 24, k25 => 25, k26 => 26, k27 => 27, k28 => 28, k29 => 29, k30 => 30,
      k31 => 31, k32 => 32, k33 => 33, k34 => 34, k35 => 35}.
