-module(stack_inline).
-export([start/0]).
t(F, X) -> try F(X) catch C:R:S -> io:format("~p~n", [{C, R, lists:sublist(S, 2)}]) end.
start() ->
    [t(F, a) || F <- [fun plus/1, fun len/1, fun el/1, fun h/1, fun ab/1, fun dv/1, fun neg/1,
                       fun tsz/1, fun bsz/1, fun nt/1, fun a2l/1, fun mg/1, fun sz/1, fun bnd/1]],
    ok.
plus(X) -> X + 1.
len(X) -> length(X).
el(X) -> element(1, X).
h(X) -> hd(X).
ab(X) -> abs(X).
dv(X) -> X div 2.
neg(X) -> -X.
tsz(X) -> tuple_size(X).
bsz(X) -> byte_size(X).
nt(X) -> not X.
a2l(X) -> atom_to_list(length(X)).
mg(X) -> map_get(k, X).
sz(X) -> size(X).
bnd(X) -> X band 3.
