-module(bin_append).
-export([start/0]).

%% <<Acc/binary, …>> in loops (linear: the VM writes after the accumulator
%% in place when nothing newer was made of its bytes), and the aliasing cases
%% that must not see each other's writes.
start() ->
    Big = grow(200000, <<>>),
    io:format("~w ~w~n", [byte_size(Big), erlang:md5(Big)]),
    Acc = grow(100, <<>>),
    B1 = <<Acc/binary, 1, 2, 3>>,
    B2 = <<Acc/binary, 4, 5>>,
    B3 = <<B1/binary, B1/binary>>,
    B4 = <<B1/binary, 9>>,
    B5 = <<B1/binary, 10>>,
    io:format("~w~n", [[byte_size(X) || X <- [Acc, B1, B2, B3, B4, B5]]]),
    io:format("~w~n", [[binary:last(X) || X <- [Acc, B1, B2, B3, B4, B5]]]),
    io:format("~w~n", [[binary_part(X, 100, 2) || X <- [B1, B2, B3, B4, B5]]]),
    Self = self(),
    P = spawn(fun() -> receive {B, From} -> From ! {self(), <<B/binary, 77>>} end end),
    P ! {B1, Self},
    C1 = receive {P, R} -> R end,
    C2 = <<B1/binary, 88>>,
    io:format("~w ~w ~w~n", [binary:last(C1), binary:last(C2), byte_size(B1)]),
    Odd = <<Acc/binary, 1:3>>,
    Odd2 = <<Odd/bitstring, 5:5, 7>>,
    io:format("~w ~w~n", [bit_size(Odd2), erlang:md5(<<Odd2/bitstring>>)]),
    Words = lists:foldl(fun(W, A) -> <<A/binary, W/binary, " ">> end, <<>>,
                        [integer_to_binary(I) || I <- lists:seq(1, 20000)]),
    io:format("~w ~w~n", [byte_size(Words), erlang:crc32(Words)]),
    <<_:1000/binary, Sub:500/binary, _/binary>> = Words,
    S2 = <<Sub/binary, "tail">>,
    io:format("~w ~w~n", [byte_size(S2), binary_part(Words, 1500, 4)]).

grow(0, Acc) -> Acc;
grow(N, Acc) -> grow(N - 1, <<Acc/binary, (N rem 256):8>>).
