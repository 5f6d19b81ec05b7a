%% proc_lib — unik's replacement: the start protocol gen_server, gen_statem
%% and friends use (start/start_link/start_monitor, init_ack), without OTP's
%% crash reports through logger: a process started here that crashes is
%% reported by the VM like any other.
-module(proc_lib).
-export([spawn/1, spawn/3, spawn_link/1, spawn_link/3, spawn_opt/2, spawn_opt/4,
         start/3, start/4, start/5, start_link/3, start_link/4, start_link/5,
         start_monitor/3, start_monitor/4, start_monitor/5,
         init_ack/1, init_ack/2, init_fail/2, init_fail/3, init_p/5, init_p_do_apply/3,
         hibernate/3, stop/1, stop/3, initial_call/1, translate_initial_call/1]).

spawn(F) -> erlang:spawn(F).
spawn(M, F, A) -> erlang:spawn(M, F, A).
spawn_link(F) -> erlang:spawn_link(F).
spawn_link(M, F, A) -> erlang:spawn_link(M, F, A).
spawn_opt(F, Opts) -> erlang:spawn_opt(F, Opts).
spawn_opt(M, F, A, Opts) -> erlang:spawn_opt(M, F, A, Opts).

start(M, F, A) -> start(M, F, A, infinity, []).
start(M, F, A, T) -> start(M, F, A, T, []).
start(M, F, A, T, Opts) -> sync_start(nolink, M, F, A, T, Opts).
start_link(M, F, A) -> start_link(M, F, A, infinity, []).
start_link(M, F, A, T) -> start_link(M, F, A, T, []).
start_link(M, F, A, T, Opts) -> sync_start(link, M, F, A, T, Opts).
start_monitor(M, F, A) -> start_monitor(M, F, A, infinity, []).
start_monitor(M, F, A, T) -> start_monitor(M, F, A, T, []).
start_monitor(M, F, A, T, Opts) -> sync_start(monitor, M, F, A, T, Opts).

sync_start(How, M, F, A, Timeout, _Opts) ->
    Parent = self(),
    Body = fun() -> put('$ancestors', [Parent]), put('$initial_call', {M, F, length(A)}),
                    init_p_do_apply(M, F, A) end,
    {Pid, Mon} = case How of
                     link -> {erlang:spawn_link(Body), undefined};
                     nolink -> {erlang:spawn(Body), undefined};
                     monitor -> erlang:spawn_monitor(Body)
                 end,
    Ref = erlang:monitor(process, Pid),
    receive
        {ack, Pid, Return} ->
            erlang:demonitor(Ref, [flush]),
            result(How, Return, Mon);
        {nack, Pid, Return} ->
            erlang:demonitor(Ref, [flush]),
            receive {'DOWN', Ref, process, Pid, _} -> ok after 0 -> ok end,
            result(How, Return, Mon);
        {'DOWN', Ref, process, Pid, Reason} ->
            case How of
                link -> receive {'EXIT', Pid, _} -> ok after 0 -> ok end;
                _ -> ok
            end,
            result(How, {error, Reason}, Mon)
    after Timeout ->
            erlang:demonitor(Ref, [flush]),
            exit(Pid, kill),
            result(How, {error, timeout}, Mon)
    end.

result(monitor, Return, Mon) -> {Return, Mon};
result(_, Return, _) -> Return.

init_ack(Return) ->
    case get('$ancestors') of
        [Parent | _] -> init_ack(Parent, Return);
        _ -> ok
    end.
init_ack(Parent, Return) -> Parent ! {ack, self(), Return}, ok.
init_fail(Return, Exception) ->
    case get('$ancestors') of
        [Parent | _] -> init_fail(Parent, Return, Exception);
        _ -> ok
    end.
init_fail(Parent, Return, {Class, Reason, Stacktrace}) ->
    Parent ! {nack, self(), Return},
    erlang:raise(Class, Reason, Stacktrace).

init_p(_Parent, _Ancestors, M, F, A) -> apply(M, F, A).

hibernate(M, F, A) -> apply(M, F, A).

stop(Process) -> stop(Process, normal, infinity).
stop(Process, Reason, Timeout) ->
    Ref = erlang:monitor(process, Process),
    %% a system message asks the process to terminate itself (its terminate/2 runs)
    _ = (catch sys:terminate(Process, Reason, Timeout)),
    receive
        {'DOWN', Ref, process, _, _} -> ok
    after Timeout ->
            erlang:demonitor(Ref, [flush]),
            exit(timeout)
    end.

initial_call(_) -> false.
translate_initial_call(_) -> {?MODULE, init_p, 5}.

%% init_p_do_apply/3 runs a started process's function inside a try, as OTP's
%% does: its frame is at the bottom of every such process's stack trace. The
%% call is on line 240, the line of OTP 25's proc_lib.erl, so a trace printed
%% from a gen_server's crash reads as erl's: {proc_lib,init_p_do_apply,3,
%% [{file,"proc_lib.erl"},{line,240}]}.
-file("proc_lib.erl", 237).
init_p_do_apply(M, F, A) ->
    try
        apply(M, F, A)
    catch
        Class:Reason:Stacktrace ->
            erlang:raise(Class, Reason, Stacktrace)
    end.
