-module(workers).
-export([start/0, worker/2]).

%% A job queue served by a pool of linked workers, with timeouts and retries.
worker(Id, Boss) ->
    Boss ! {ready, self()},
    receive
        {job, Ref, N} when N < 0 ->
            exit({bad_job, Ref, N});
        {job, Ref, N} ->
            timer:sleep(N rem 3),
            Boss ! {done, self(), Ref, Id, fib(N)},
            worker(Id, Boss);
        stop ->
            ok
    after 2000 ->
        exit(idle)
    end.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

start() ->
    process_flag(trap_exit, true),
    Self = self(),
    Pool = [spawn_link(?MODULE, worker, [I, Self]) || I <- lists:seq(1, 4)],
    Jobs = queue:from_list([{make_ref(), N} || N <- [10, 15, -1, 20, 5, 12, 18, 3]]),
    Results = loop(Jobs, #{}, [], length(Pool)),
    [io:format("job ~2w -> ~w~n", [N, R]) || {N, R} <- lists:sort(Results)],
    Tick = erlang:send_after(30, self(), tick),
    receive tick -> io:format("tick arrived~n") end,
    false = erlang:cancel_timer(Tick),
    T2 = erlang:start_timer(5000, self(), never),
    Left = erlang:cancel_timer(T2),
    io:format("cancelled with time left: ~p~n", [is_integer(Left) andalso Left > 4000]),
    receive never -> bad after 20 -> io:format("no message after 20 ms~n") end,
    {ok, TRef} = timer:send_interval(10, self(), beat),
    Beats = collect_beats(3, []),
    timer:cancel(TRef),
    io:format("beats: ~p~n", [Beats]),
    {Pid, MRef} = spawn_monitor(fun() -> receive after 5 -> exit(done_waiting) end end),
    receive {'DOWN', MRef, process, Pid, Why} -> io:format("monitor: ~p~n", [Why]) end,
    io:format("alive: ~p~n", [[is_process_alive(P) || P <- Pool]]),
    ok.

collect_beats(0, Acc) -> lists:reverse(Acc);
collect_beats(N, Acc) -> receive beat -> collect_beats(N - 1, [N | Acc]) after 500 -> timeout end.

loop(Jobs, Busy, Done, Workers) ->
    case {queue:is_empty(Jobs), map_size(Busy), Workers} of
        {true, 0, _} ->
            [receive {ready, P} -> P ! stop end || _ <- lists:seq(1, Workers)],
            Done;
        _ ->
            receive
                {ready, P} ->
                    case queue:out(Jobs) of
                        {{value, {Ref, N}}, Rest} ->
                            P ! {job, Ref, N},
                            loop(Rest, Busy#{Ref => {P, N}}, Done, Workers);
                        {empty, _} ->
                            P ! stop,
                            loop(Jobs, Busy, Done, Workers - 1)
                    end;
                {done, _P, Ref, _Id, R} ->
                    {{_, N}, Busy2} = maps:take(Ref, Busy),
                    loop(Jobs, Busy2, [{N, R} | Done], Workers);
                {'EXIT', P, {bad_job, Ref, N}} ->
                    io:format("worker crashed on job ~w~n", [N]),
                    Self = self(),
                    _New = spawn_link(?MODULE, worker, [99, Self]),
                    Busy2 = maps:remove(Ref, Busy),
                    _ = P,
                    loop(Jobs, Busy2, [{N, crashed} | Done], Workers)
            after 3000 ->
                {timeout, Done}
            end
    end.
