%% timer — unik's replacement: OTP's timer API without OTP's timer server. OTP starts that server
%% under kernel_sup, which this VM does not run (there is no kernel
%% application). One-shot sends are erlang:send_after timers; apply_after
%% and exit_after are a short-lived process each; intervals are a process
%% that monitors its creator and goes with it, as OTP's interval timers do.
-module(timer).
-export([apply_after/4, send_after/3, send_after/2, exit_after/3, exit_after/2,
         kill_after/2, kill_after/1, apply_interval/4, send_interval/3, send_interval/2,
         cancel/1, sleep/1, tc/1, tc/2, tc/3, now_diff/2, seconds/1, minutes/1, hours/1,
         hms/3, start/0]).

-define(VALID(T), (is_integer(T) andalso T >= 0)).

send_after(Time, Dest, Msg) when ?VALID(Time), is_pid(Dest);
                                 ?VALID(Time), is_atom(Dest) ->
    {ok, {send_local, erlang:send_after(Time, Dest, Msg)}};
send_after(Time, Dest, Msg) ->
    apply_after(Time, erlang, send, [Dest, Msg]).

send_after(Time, Msg) -> send_after(Time, self(), Msg).

apply_after(Time, M, F, A) when ?VALID(Time), is_atom(M), is_atom(F), is_list(A) ->
    Pid = spawn(fun() -> receive cancel -> ok after Time -> apply(M, F, A) end end),
    {ok, {once, Pid}};
apply_after(_Time, _M, _F, _A) ->
    {error, badarg}.

exit_after(Time, Pid, Reason) -> apply_after(Time, erlang, exit, [Pid, Reason]).
exit_after(Time, Reason) -> exit_after(Time, self(), Reason).
kill_after(Time, Pid) -> exit_after(Time, Pid, kill).
kill_after(Time) -> exit_after(Time, self(), kill).

send_interval(Time, Dest, Msg) when ?VALID(Time) ->
    interval(Time, fun() -> catch erlang:send(Dest, Msg) end);
send_interval(_Time, _Dest, _Msg) ->
    {error, badarg}.

send_interval(Time, Msg) -> send_interval(Time, self(), Msg).

apply_interval(Time, M, F, A) when ?VALID(Time), is_atom(M), is_atom(F), is_list(A) ->
    interval(Time, fun() -> spawn(M, F, A) end);
apply_interval(_Time, _M, _F, _A) ->
    {error, badarg}.

%% every Time ms from now (deadlines do not drift with the work done)
interval(Time, Action) ->
    Owner = self(),
    Pid = spawn(fun() ->
                        Ref = erlang:monitor(process, Owner),
                        tick(Ref, Time, erlang:monotonic_time(millisecond) + Time, Action)
                end),
    {ok, {interval, Pid}}.

tick(Ref, Time, Due, Action) ->
    Wait = max(0, Due - erlang:monotonic_time(millisecond)),
    receive
        cancel -> ok;
        {'DOWN', Ref, process, _, _} -> ok
    after Wait ->
        Action(),
        tick(Ref, Time, Due + Time, Action)
    end.

cancel({send_local, Ref}) when is_reference(Ref) ->
    _ = erlang:cancel_timer(Ref),
    {ok, cancel};
cancel({Kind, Pid}) when (Kind =:= once orelse Kind =:= interval), is_pid(Pid) ->
    Pid ! cancel,
    {ok, cancel};
cancel(_) ->
    {error, badarg}.

sleep(T) -> receive after T -> ok end.

tc(F) ->
    T1 = erlang:monotonic_time(),
    Val = F(),
    {elapsed(T1), Val}.

tc(F, A) ->
    T1 = erlang:monotonic_time(),
    Val = apply(F, A),
    {elapsed(T1), Val}.

tc(M, F, A) ->
    T1 = erlang:monotonic_time(),
    Val = apply(M, F, A),
    {elapsed(T1), Val}.

elapsed(T1) ->
    erlang:convert_time_unit(erlang:monotonic_time() - T1, native, microsecond).

now_diff({A2, B2, C2}, {A1, B1, C1}) ->
    ((A2 - A1) * 1000000 + B2 - B1) * 1000000 + C2 - C1.

seconds(S) -> 1000 * S.
minutes(M) -> 1000 * 60 * M.
hours(H) -> 1000 * 60 * 60 * H.
hms(H, M, S) -> hours(H) + minutes(M) + seconds(S).

start() -> ok.
