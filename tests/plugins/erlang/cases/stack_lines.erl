-module(stack_lines).
-export([start/0, deep/1]).

%% Stack traces carry {file, line} locations and erl's frames.
-record(acct, {id, balance = 0}).

%% the boot frames differ by design (erl runs the entry from init)
user_frames(S) -> [F || F = {M, _, _, _} <- S, M =/= init].

show(Class, Reason, S) ->
    io:format("~p~n", [{Class, Reason, user_frames(S)}]).

withdraw(#acct{balance = B} = A, N) when N =< B ->
    A#acct{balance = B - N};
withdraw(#acct{}, N) ->
    erlang:error({insufficient, N}).

parse(Bin) ->
    <<Len:8, Rest/binary>> = Bin,
    <<Body:Len/binary, _/binary>> = Rest,
    binary_to_atom(Body, utf8).

deep(0) -> 1 / zero();
deep(N) -> 1 + deep(N - 1).

zero() -> 0.

tail(0) -> throw(done);
tail(N) -> tail(N - 1).

start() ->
    try withdraw(#acct{id = 1, balance = 5}, 10)
    catch C1:R1:S1 -> show(C1, R1, S1) end,
    try parse(<<5, "ab">>)
    catch C2:R2:S2 -> show(C2, R2, S2) end,
    try deep(3)
    catch C3:R3:S3 -> show(C3, R3, S3) end,
    try deep(20)
    catch C4:R4:S4 -> io:format("~p~n", [length(user_frames(S4))]), show(C4, R4, lists:sublist(S4, 3)) end,
    try tail(5)
    catch C5:R5:S5 -> show(C5, R5, S5) end,
    try lists:foldl(fun(X, Acc) -> Acc + 10 div X end, 0, [1, 2, 0])
    catch C6:R6:S6 -> show(C6, R6, S6) end,
    try lists:map(fun(X) -> {ok, _} = X end, [{ok, 1}, error])
    catch C7:R7:S7 -> show(C7, R7, S7) end,
    try withdraw(nope, 1)
    catch C8:R8:S8 -> show(C8, R8, S8) end,
    try erlang:raise(exit, custom, [{m, f, 0, [{file, "m.erl"}, {line, 7}]}])
    catch C9:R9:S9 -> show(C9, R9, S9) end,
    S10 = try throw(x) catch throw:x:St -> St end,
    io:format("~p~n", [user_frames(S10)]),
    ok.
