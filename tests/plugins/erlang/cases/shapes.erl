-module(shapes).
-export([start/0]).

%% A little event-sourced drawing: funs in maps, closures, try/after, recursion,
%% tail calls, and a hand-written state machine with a queue of commands.
area({circle, R}) -> math:pi() * R * R;
area({rect, W, H}) -> W * H;
area({tri, A, B, C}) ->
    S = (A + B + C) / 2,
    math:sqrt(S * (S - A) * (S - B) * (S - C));
area(Other) -> error({unknown_shape, Other}).

ops() ->
    #{scale => fun({circle, R}, K) -> {circle, R * K};
                  ({rect, W, H}, K) -> {rect, W * K, H * K};
                  (S, _) -> S end,
      rotate => fun({rect, W, H}, _) -> {rect, H, W}; (S, _) -> S end}.

apply_cmds(Shapes, Cmds) ->
    Ops = ops(),
    lists:foldl(fun({Op, Arg}, Acc) ->
                        F = maps:get(Op, Ops),
                        [F(S, Arg) || S <- Acc]
                end, Shapes, Cmds).

fsm(idle, [{start, N} | T], Log) -> fsm({running, N}, T, [started | Log]);
fsm({running, 0}, Cmds, Log) -> fsm(done, Cmds, [finished | Log]);
fsm({running, N}, [tick | T], Log) -> fsm({running, N - 1}, T, [{tick, N} | Log]);
fsm({running, N}, [pause | T], Log) -> fsm({paused, N}, T, [paused | Log]);
fsm({paused, N}, [resume | T], Log) -> fsm({running, N}, T, [resumed | Log]);
fsm(State, [_Ignored | T], Log) -> fsm(State, T, Log);
fsm(State, [], Log) -> {State, lists:reverse(Log)}.

counter() ->
    Count = fun Loop(N) -> receive {inc, K} -> Loop(N + K); {get, P} -> P ! {count, N}, Loop(N) end end,
    spawn(fun() -> Count(0) end).

start() ->
    Shapes = [{circle, 1.5}, {rect, 2, 3}, {tri, 3, 4, 5}],
    [io:format("~-20w area ~8.3f~n", [S, float(area(S))]) || S <- Shapes],
    New = apply_cmds(Shapes, [{scale, 2}, {rotate, x}]),
    io:format("~p~n", [New]),
    io:format("total ~.4f~n", [lists:sum([area(S) || S <- New])]),
    R = try area({hexagon, 1})
        catch error:{unknown_shape, What} -> {skipped, What}
        after io:format("checked hexagon~n")
        end,
    io:format("~p~n", [R]),
    io:format("~p~n", [fsm(idle, [{start, 2}, tick, pause, tick, resume, tick, tick, bogus], [])]),
    C = counter(),
    [C ! {inc, K} || K <- lists:seq(1, 10)],
    C ! {get, self()},
    receive {count, Total} -> io:format("count ~b~n", [Total]) end,
    Compose = fun(F, G) -> fun(X) -> G(F(X)) end end,
    Inc = fun(X) -> X + 1 end,
    Dbl = fun(X) -> X * 2 end,
    io:format("~p~n", [[(Compose(Inc, Dbl))(3), (Compose(Dbl, Inc))(3)]]),
    Adders = [fun(X) -> X + N end || N <- [10, 20, 30]],
    io:format("~p~n", [[F(1) || F <- Adders]]),
    io:format("~p~n", [erlang:fun_info(Inc, arity)]),
    io:format("~p~n", [lists:foldr(fun(X, Acc) -> [X | Acc] end, [], "abc")]),
    io:format("~p~n", [[{X, Y} || X <- [1, 2, 3], Y <- [a, b], X =/= 2]]),
    io:format("~p~n", [<< <<X:4>> || X <- [1, 2, 3, 4] >>]),
    io:format("~p~n", [[math:floor(-2.5), math:ceil(2.1), round(2.5), trunc(-2.7), 7 div 2, -7 rem 3]]),
    io:format("~p~n", [{float_to_list(1.0e-10), 1.0e21, 123456789.0, 0.1 + 0.2}]),
    io:format("~w~n", [{1/3, 2.0e-5, 100.0}]).
