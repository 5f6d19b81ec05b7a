-module(bits_random).
-export([start/0]).
%% Bit-syntax construction and matching at every alignment, checked against
%% erl: integer fields of 1..72 bits (big, little, signed), bitstring fields
%% cut from unaligned places, appends to an accumulator, all driven by a
%% fixed linear congruential sequence so both VMs see the same work.

start() ->
    {Acc, _} = lists:foldl(fun(_, {A, S}) -> round(A, S) end, {[], 12345}, lists:seq(1, 400)),
    io:format("~w~n", [erlang:phash2(Acc)]),
    lists:foreach(fun(T) -> io:format("~w~n", [T]) end, lists:sublist(Acc, 12)),
    io:format("~w~n", [[<<16#abc:12/little>>, <<16#12345:20/little>>, <<16#1ff:9/little-signed>>,
                        <<(-2):13/little-signed>>, <<16#abcdef123456789ab:68/little>>,
                        <<(-16#abcdef123456789ab):71/little-signed>>]]),
    <<X12:12/little, X13:13/little-signed, X68:68/little>> =
        <<16#ab, 16#c:4, 16#fe, 16#1f:5, 16#abcdef123456789ab:68/little>>,
    io:format("~.16b ~w ~.16b~n", [X12, X13, X68]),
    Grown = grow(3000, <<>>, 777),
    io:format("~w ~w ~w~n", [bit_size(Grown), erlang:phash2(Grown), erlang:crc32(pad(Grown))]),
    io:format("~w~n", [sum_fields(Grown, 0)]).

next(S) -> (S * 1103515245 + 12345) band 16#7fffffff.

round(Acc, S0) ->
    S1 = next(S0), S2 = next(S1), S3 = next(S2), S4 = next(S3), S5 = next(S4),
    Lead = S1 rem 8,
    N = 1 + S2 rem 72,
    V = (S3 bsl 31 bor S4) - (1 bsl 40),
    Pre = <<(S5 rem 256):Lead>>,
    Big = <<Pre/bitstring, V:N, 5:3>>,
    Lit = <<Pre/bitstring, V:N/little, 2:2>>,
    Sig = <<Pre/bitstring, V:N/signed>>,
    <<_:Lead, B1:N, T1:3>> = Big,
    <<_:Lead, L1:N/little, T2:2>> = Lit,
    <<_:Lead, S1v:N/signed>> = Sig,
    <<_:Lead, L2:N/little-signed, _:2>> = Lit,
    Cut = N div 3,
    <<_:Lead, Mid:Cut/bitstring, Rest/bitstring>> = Big,
    Re = <<Rest/bitstring, Mid/bitstring>>,
    {[{Lead, N, B1, T1, L1, T2, S1v, L2, Re, bit_size(Re), Lit, Sig} | Acc], S5}.

grow(0, Acc, _) -> Acc;
grow(K, Acc, S) ->
    S1 = next(S),
    W = 1 + S1 rem 40,
    grow(K - 1, <<Acc/bitstring, S1:W, (K band 255):8>>, S1).

pad(B) -> case bit_size(B) rem 8 of 0 -> B; R -> <<B/bitstring, 0:(8 - R)>> end.

sum_fields(<<X:13, Rest/bitstring>>, Sum) -> sum_fields(Rest, Sum + X);
sum_fields(<<Tail/bitstring>>, Sum) -> {Sum, bit_size(Tail)}.
