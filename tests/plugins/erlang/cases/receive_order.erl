-module(receive_order).
-export([start/0]).
%% Messages from one sender arrive in order; receive picks the first match.
start() ->
    Self = self(),
    spawn(fun() -> [Self ! {n, I} || I <- lists:seq(1, 10)], Self ! done end),
    receive done -> ok end,
    io:format("~p~n", [collect([])]),
    [self() ! X || X <- [3, a, 1, b, 2]],
    io:format("~p~n", [[receive X when is_integer(X) -> X end || _ <- [1, 2, 3]]]),
    io:format("~p~n", [[receive X -> X end || _ <- [1, 2]]]),
    io:format("~p~n", [receive X -> X after 0 -> empty end]).
collect(Acc) ->
    receive {n, I} -> collect([I | Acc]) after 0 -> lists:reverse(Acc) end.
