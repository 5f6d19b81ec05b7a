-module(au_procs_misc).
-export([start/0, echo/1]).

start() ->
    register(main_proc, self()),
    io:format("~p~n", [whereis(main_proc) =:= self()]),
    io:format("~p~n", [lists:member(main_proc, registered())]),
    io:format("~p~n", [catch register(main_proc, self())]),
    io:format("~p~n", [catch unregistered_name ! hi]),
    unregister(main_proc),
    io:format("~p~n", [whereis(main_proc)]),
    P = spawn(?MODULE, echo, [3]),
    [P ! {self(), N} || N <- [a, b, c]],
    io:format("~p~n", [[receive {echo, X} -> X end || _ <- [1, 2, 3]]]),
    %% the process dictionary
    put(k, 1), put(k2, [x]),
    io:format("~p~n", [{get(k), put(k, 2), get(k), get(nokey)}]),
    io:format("~p~n", [lists:sort(get_keys())]),
    io:format("~p~n", [erase(k)]),
    io:format("~p~n", [lists:sort(get())]),
    %% process_info
    io:format("~p~n", [process_info(self(), registered_name)]),
    io:format("~p~n", [element(2, process_info(self(), message_queue_len))]),
    self() ! m1,
    io:format("~p~n", [process_info(self(), messages)]),
    receive m1 -> ok end,
    %% spawn with a fun that captures, spawn/4 variants
    Acc = [1, 2, 3],
    Me = self(),
    spawn(fun() -> Me ! {sum, lists:sum(Acc)} end),
    receive {sum, S} -> io:format("sum ~p~n", [S]) end,
    P2 = spawn(lists, reverse, [[1, 2]]),
    timer:sleep(5),
    io:format("~p~n", [is_process_alive(P2)]),
    %% group_leader and io to another process
    io:format("~p~n", [is_pid(group_leader())]),
    %% yield, statistics
    erlang:yield(),
    {_, _} = statistics(runtime), {_, _} = statistics(wall_clock),
    io:format("~p~n", [is_integer(erlang:system_info(process_count))]),
    %% a million-message ping pong
    Pong = spawn(fun Loop() -> receive {ping, F, N} -> F ! {pong, N}, Loop(); stop -> ok end end),
    io:format("~p~n", [ping(Pong, 10000, 0)]),
    Pong ! stop,
    %% messages with big payloads out of order
    Big = lists:seq(1, 10000),
    self() ! {second, Big}, self() ! {first, length(Big)},
    receive {first, L} -> ok end,
    receive {second, B2} -> ok end,
    io:format("~p ~p~n", [L, lists:sum(B2)]),
    %% erlang:send with options and !
    erlang:send(self(), via_send),
    receive via_send -> io:format("send ok~n") end,
    io:format("~p~n", [self() ! some_value]),
    receive some_value -> ok end,
    io:format("~p~n", [catch apply(?MODULE, echo, [])]),
    io:format("~p~n", [erlang:function_exported(?MODULE, echo, 1)]),
    io:format("~p~n", [is_function(fun ?MODULE:echo/1, 1)]),
    io:format("~p~n", [erlang:fun_info(fun ?MODULE:echo/1, arity)]),
    ok.

echo(0) -> ok;
echo(N) -> receive {From, X} -> From ! {echo, X}, echo(N - 1) end.

ping(_, 0, Acc) -> Acc;
ping(P, N, Acc) -> P ! {ping, self(), N}, receive {pong, N} -> ping(P, N - 1, Acc + N) end.
