-module(au_calc).
-export([start/0]).
%% A recursive-descent calculator: tokenizer, parser to an AST, evaluator with variables.

start() ->
    Env0 = #{"pi" => 3.14159},
    Lines = ["x = 2 + 3 * 4", "y = (x - 4) / 2", "z = x * y - pi", "-x + 2 ^ 10",
             "w = 7 % 3", "1 / 0", "q + 1", "2 * (3 + ", "10 / 4", "2 ^ 0.5"],
    lists:foldl(fun(L, Env) ->
        case eval_line(L, Env) of
            {ok, V, Env2} -> io:format("~-16s => ~p~n", [L, V]), Env2;
            {error, Why} -> io:format("~-16s !! ~p~n", [L, Why]), Env
        end
    end, Env0, Lines),
    ok.

eval_line(L, Env) ->
    try
        Toks = tokens(L),
        {Ast, []} = stmt(Toks),
        {V, Env2} = eval(Ast, Env),
        {ok, V, Env2}
    catch
        throw:E -> {error, E};
        error:badarith -> {error, division_by_zero};
        error:{badmatch, {_, Rest}} -> {error, {trailing, Rest}}
    end.

tokens([]) -> [];
tokens([C | T]) when C =:= $\s -> tokens(T);
tokens([C | _] = L) when C >= $0, C =< $9 ->
    {Num, Rest} = lists:splitwith(fun(X) -> (X >= $0 andalso X =< $9) orelse X =:= $. end, L),
    V = case lists:member($., Num) of true -> list_to_float(Num); false -> list_to_integer(Num) end,
    [{num, V} | tokens(Rest)];
tokens([C | _] = L) when C >= $a, C =< $z ->
    {Id, Rest} = lists:splitwith(fun(X) -> X >= $a andalso X =< $z end, L),
    [{id, Id} | tokens(Rest)];
tokens([C | T]) ->
    case lists:member(C, "+-*/%^()=") of
        true -> [{op, C} | tokens(T)];
        false -> throw({bad_char, [C]})
    end.

stmt([{id, V}, {op, $=} | T]) -> {E, R} = expr(T), {{assign, V, E}, R};
stmt(T) -> expr(T).

expr(T) -> {L, R} = term(T), expr_rest(L, R).
expr_rest(L, [{op, Op} | T]) when Op =:= $+; Op =:= $- ->
    {R, T2} = term(T), expr_rest({Op, L, R}, T2);
expr_rest(L, T) -> {L, T}.

term(T) -> {L, R} = power(T), term_rest(L, R).
term_rest(L, [{op, Op} | T]) when Op =:= $*; Op =:= $/; Op =:= $% ->
    {R, T2} = power(T), term_rest({Op, L, R}, T2);
term_rest(L, T) -> {L, T}.

power(T) ->
    {B, R} = unary(T),
    case R of
        [{op, $^} | T2] -> {E, R2} = power(T2), {{$^, B, E}, R2};
        _ -> {B, R}
    end.

unary([{op, $-} | T]) -> {E, R} = unary(T), {{neg, E}, R};
unary(T) -> primary(T).

primary([{num, N} | T]) -> {{num, N}, T};
primary([{id, V} | T]) -> {{var, V}, T};
primary([{op, $(} | T]) ->
    case expr(T) of
        {E, [{op, $)} | R]} -> {E, R};
        _ -> throw(missing_paren)
    end;
primary([]) -> throw(unexpected_end);
primary([Tok | _]) -> throw({unexpected, Tok}).

eval({assign, V, E}, Env) -> {X, _} = eval(E, Env), {X, Env#{V => X}};
eval({num, N}, Env) -> {N, Env};
eval({var, V}, Env) ->
    case maps:find(V, Env) of
        {ok, X} -> {X, Env};
        error -> throw({unbound, V})
    end;
eval({neg, E}, Env) -> {X, _} = eval(E, Env), {-X, Env};
eval({Op, A, B}, Env) ->
    {X, _} = eval(A, Env), {Y, _} = eval(B, Env),
    {apply_op(Op, X, Y), Env}.

apply_op($+, X, Y) -> X + Y;
apply_op($-, X, Y) -> X - Y;
apply_op($*, X, Y) -> X * Y;
apply_op($/, X, Y) when is_integer(X), is_integer(Y), Y =/= 0, X rem Y =:= 0 -> X div Y;
apply_op($/, X, Y) -> X / Y;
apply_op($%, X, Y) -> X rem Y;
apply_op($^, X, Y) when is_integer(X), is_integer(Y), Y >= 0 -> ipow(X, Y);
apply_op($^, X, Y) -> math:pow(X, Y).

ipow(_, 0) -> 1;
ipow(X, N) -> X * ipow(X, N - 1).
