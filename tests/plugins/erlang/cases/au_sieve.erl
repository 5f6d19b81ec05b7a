-module(au_sieve).
-export([start/0]).
%% A concurrent prime sieve: a chain of filter processes, plus a sequential check.

start() ->
    Primes = concurrent(200),
    io:format("~p~n", [Primes]),
    io:format("~p~n", [Primes =:= sequential(200)]),
    io:format("~p primes below 10000~n", [length(sequential(10000))]),
    io:format("~p~n", [lists:last(sequential(100000))]),
    ok.

concurrent(N) ->
    Self = self(),
    First = spawn(fun() -> filter(Self) end),
    [First ! {num, I} || I <- lists:seq(2, N)],
    First ! done,
    receive done -> lists:sort(collect([])) end.

filter(Collector) ->
    receive
        {num, P} -> Collector ! {prime, P}, filter(Collector, P, undefined);
        done -> Collector ! done
    end.
filter(C, P, Next) ->
    receive
        {num, N} when N rem P =:= 0 -> filter(C, P, Next);
        {num, N} ->
            Next2 = case Next of undefined -> spawn(fun() -> filter(C) end); _ -> Next end,
            Next2 ! {num, N},
            filter(C, P, Next2);
        done ->
            case Next of
                undefined -> C ! done;
                _ -> Next ! done
            end
    end.

collect(Acc) -> receive {prime, P} -> collect([P | Acc]) after 0 -> Acc end.

sequential(N) -> sieve(lists:seq(2, N)).
sieve([]) -> [];
sieve([P | Xs]) when P * P > 100000 -> [P | Xs];
sieve([P | Xs]) -> [P | sieve([X || X <- Xs, X rem P =/= 0])].
