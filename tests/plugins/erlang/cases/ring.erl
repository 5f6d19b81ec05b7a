-module(ring).
-export([start/0]).
%% A ring of 1000 processes passing a message around 100 times.
start() ->
    N = 1000, Rounds = 100,
    First = self(),
    Last = lists:foldl(fun(_, Next) -> spawn(fun() -> node_loop(Next) end) end, First,
                       lists:seq(1, N - 1)),
    Last ! {token, Rounds * N - 1},
    Count = main_loop(Last, 0),
    io:format("ring of ~p processes: ~p hops~n", [N, Count]).
node_loop(Next) ->
    receive
        {token, 0} -> Next ! done;
        {token, K} -> Next ! {token, K - 1}, node_loop(Next);
        done -> Next ! done
    end.
main_loop(Last, Hops) ->
    receive
        {token, 0} -> Last ! done, wait_done(Hops + 1);
        {token, K} -> Last ! {token, K - 1}, main_loop(Last, Hops + 1)
    end.
wait_done(H) -> receive done -> H end.
