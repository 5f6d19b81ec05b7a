-module(au_bignum).
-export([start/0]).

start() ->
    F = fact(30),
    io:format("~p~n", [F]),
    [io:format("~p: ~s~n", [B, integer_to_list(F, B)]) || B <- [2, 8, 16, 36]],
    io:format("~s~n", [integer_to_list(-255, 16)]),
    io:format("~p~n", [integer_to_binary(1 bsl 100, 16)]),
    io:format("~p~n", [list_to_integer("zz", 36)]),
    io:format("~p~n", [list_to_integer("-ffffffffffffffffffffff", 16)]),
    io:format("~p~n", [binary_to_integer(<<"123456789012345678901234567890">>)]),
    io:format("~p~n", [binary_to_integer(<<"7fffffffffffffff">>, 16)]),
    X = 123456789012345678901234567890,
    Y = 987654321098765432109876543210,
    io:format("~p~n", [[X + Y, X - Y, X * Y, Y div X, Y rem X, -Y div X, -Y rem X]]),
    io:format("~p~n", [[X band Y, X bor Y, X bxor Y, bnot X]]),
    io:format("~p~n", [[X bsl 67, X bsr 33, -X bsr 33, 1 bsl 200 bsr 199]]),
    io:format("~p~n", [pow(3, 100)]),
    io:format("~p~n", [gcd(fact(25), pow(2, 40) * 9)]),
    io:format("~p~n", [abs(-X)]),
    io:format("~p~n", [[X > Y, X < 1.0e40, X == float(X), float(X)]]),
    io:format("~p~n", [X / 7]),
    io:format("~p~n", [trunc(1.0e25)]),
    io:format("~p~n", [round(-2.5e20)]),
    io:format("~p~n", [catch X div 0]),
    io:format("~p~n", [catch float(pow(10, 400))]),
    io:format("~p~n", [fib(300)]),
    io:format("~p~n", [digits_sum(pow(2, 1000))]),
    io:format("~p~n", [length(integer_to_list(fact(500)))]),
    io:format("~p~n", [(1 bsl 64) - 1]),
    io:format("~p~n", [-(1 bsl 63)]),
    io:format("~p~n", [[16#7FFFFFFFFFFFFFFF + 1, 576460752303423487 + 1, -576460752303423488 - 1]]),
    io:format("~p~n", [[integer_to_list(N) || N <- [0, -1, 1 bsl 59, 1 bsl 60, (1 bsl 60) - 1]]]),
    io:format("~p~n", [math:pow(2, 0.5)]),
    io:format("~p~n", [erlang:phash2(fact(40))]),
    io:format("~p~n", [modpow(4, 13, 497)]),
    io:format("~p~n", [modpow(2, 1000, 1000000007)]),
    io:format("~p~n", [isqrt(pow(10, 50))]),
    ok.

fact(0) -> 1;
fact(N) -> N * fact(N - 1).
pow(_, 0) -> 1;
pow(B, E) -> B * pow(B, E - 1).
gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).
fib(N) -> fib(N, 0, 1).
fib(0, A, _) -> A;
fib(N, A, B) -> fib(N - 1, B, A + B).
digits_sum(N) -> lists:sum([D - $0 || D <- integer_to_list(N)]).
modpow(_, 0, _) -> 1;
modpow(B, E, M) when E rem 2 =:= 0 -> H = modpow(B, E div 2, M), H * H rem M;
modpow(B, E, M) -> B * modpow(B, E - 1, M) rem M.
isqrt(N) -> isqrt(N, N).
isqrt(N, X) -> Y = (X + N div X) div 2, if Y >= X -> X; true -> isqrt(N, Y) end.
