-module(spawn_mfa).
-export([start/0, worker/2]).
worker(Parent, N) -> Parent ! {result, N * N}.
start() ->
    Pids = [spawn(?MODULE, worker, [self(), N]) || N <- lists:seq(1, 10)],
    Results = [receive {result, R} -> R end || _ <- Pids],
    io:format("~p~n", [lists:sort(Results)]),
    Self = self(),
    P = spawn_link(fun() -> Self ! {hello, self()} end),
    receive {hello, P} -> io:format("got hello~n") end,
    io:format("~p~n", [is_pid(P)]),
    {Pid, Ref} = spawn_monitor(?MODULE, worker, [self(), 7]),
    receive {result, 49} -> ok end,
    receive {'DOWN', Ref, process, Pid, normal} -> io:format("normal down~n") end.
