-module(au_funs).
-export([start/0, double/1]).

double(X) -> 2 * X.

start() ->
    Add = fun(X) -> fun(Y) -> X + Y end end,
    Add5 = Add(5),
    io:format("~p~n", [Add5(10)]),
    Compose = fun(F, G) -> fun(X) -> F(G(X)) end end,
    Inc = fun(X) -> X + 1 end,
    io:format("~p~n", [(Compose(fun double/1, Inc))(3)]),
    io:format("~p~n", [lists:map(fun ?MODULE:double/1, [1, 2, 3])]),
    Fact = fun F(0) -> 1; F(N) -> N * F(N - 1) end,
    io:format("~p~n", [Fact(20)]),
    io:format("~p~n", [[erlang:fun_info(Inc, arity), erlang:fun_info(fun double/1, name)]]),
    io:format("~p~n", [{is_function(Inc), is_function(Inc, 1), is_function(Inc, 2)}]),
    io:format("~p~n", [apply(Inc, [41])]),
    io:format("~p~n", [apply(lists, seq, [1, 4])]),
    M = lists, F = reverse,
    io:format("~p~n", [M:F([1, 2, 3])]),
    Counter = make_counter(),
    Counter(inc), Counter(inc),
    io:format("~p~n", [Counter(get)]),
    Pipeline = [fun(X) -> X * 3 end, fun(X) -> X - 1 end, fun integer_to_list/1, fun list_to_binary/1],
    io:format("~p~n", [lists:foldl(fun(Fn, Acc) -> Fn(Acc) end, 7, Pipeline)]),
    Curry = fun(A) -> fun(B) -> fun(C) -> A * 100 + B * 10 + C end end end,
    io:format("~p~n", [((Curry(1))(2))(3)]),
    Memo = memoize(fun(N) -> N * N end),
    io:format("~p~n", [[Memo(3), Memo(3), get({memo, 3})]]),
    Y = fun(Gen) -> (fun(X) -> Gen(fun(V) -> (X(X))(V) end) end)(fun(X) -> Gen(fun(V) -> (X(X))(V) end) end) end,
    FibGen = fun(Self) -> fun(0) -> 0; (1) -> 1; (N) -> Self(N - 1) + Self(N - 2) end end,
    io:format("~p~n", [(Y(FibGen))(15)]),
    io:format("~p~n", [catch (fun(a) -> ok end)(b)]),
    Funs = [fun() -> N end || N <- [1, 2, 3]],
    io:format("~p~n", [[Fn() || Fn <- Funs]]),
    io:format("~p~n", [fun erlang:'+'/2 =:= fun erlang:'+'/2]),
    io:format("~p~n", [(fun erlang:'+'/2)(1, 2)]),
    io:format("~p~n", [lists:foldl(fun erlang:max/2, 0, [3, 9, 2])]),
    ok.

make_counter() ->
    Key = make_ref(),
    put(Key, 0),
    fun(inc) -> put(Key, get(Key) + 1); (get) -> get(Key) end.

memoize(F) ->
    fun(N) ->
        case get({memo, N}) of
            undefined -> V = F(N), put({memo, N}, V), V;
            V -> V
        end
    end.
id(X) -> X.
