-module(au_random_num).
-export([start/0]).
%% Randomised (seeded) numbers through every printer and operator: floats of
%% all magnitudes in ~p ~w ~e ~f ~g and float_to_list forms; bignums through
%% arithmetic, bit operations and every base.

start() ->
    rand:seed(exsss, {11, 22, 33}),
    Floats = [rf() || _ <- lists:seq(1, 300)],
    [io:format("~p ~w ~e ~.3e ~f ~.2f ~g ~s ~s~n",
               [F, F, F, F, F, F, F, float_to_list(F), float_to_list(F, [{scientific, 6}])])
     || F <- Floats],
    Ints = [ri() || _ <- lists:seq(1, 150)],
    Pairs = lists:zip(Ints, lists:reverse(Ints)),
    [io:format("~w ~w ~w ~w ~w ~w~n",
               [A + B, A - B, A * B, safe_div(A, B), safe_rem(A, B), A band B])
     || {A, B} <- Pairs],
    [io:format("~w ~w ~w ~s ~s~n",
               [A bor B, A bxor B, bnot A, integer_to_list(A, 2 + abs(B) rem 35),
                integer_to_list(A bsr (abs(B) rem 70))])
     || {A, B} <- Pairs],
    [io:format("~w~n", [{A < B, A == B, A =:= B, float_cmp(A)}]) || {A, B} <- Pairs],
    [io:format("~w ~w~n", [list_to_integer(integer_to_list(A, R), R) =:= A, R])
     || A <- lists:sublist(Ints, 40), R <- [2, 7, 16, 36]],
    ok.

rf() ->
    M = rand:uniform() * 10,
    E = rand:uniform(60) - 30,
    S = case rand:uniform(2) of 1 -> 1; 2 -> -1 end,
    S * M * math:pow(10, E).

ri() ->
    Bits = rand:uniform(200),
    V = rand:uniform(1 bsl Bits),
    case rand:uniform(2) of 1 -> V; 2 -> -V end.

safe_div(_, 0) -> undefined;
safe_div(A, B) -> A div B.
safe_rem(_, 0) -> undefined;
safe_rem(A, B) -> A rem B.

float_cmp(A) when abs(A) < 1 bsl 1000 -> float(A) == A;
float_cmp(_) -> big.
