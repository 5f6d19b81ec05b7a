-module(refc_binaries).
-export([start/0]).

%% Binaries above 64 bytes live off the process heaps with a reference count
%% (as in BEAM): messages, sub-binaries, ETS, timers, maps and the collector
%% all see the same bytes; dead ones are released (thousands of megabyte
%% binaries made one after another fit in a small guest).
start() ->
    Big = list_to_binary([I rem 256 || I <- lists:seq(1, 300000)]),
    io:format("~w ~w ~w~n", [byte_size(Big), binary:first(Big), binary:last(Big)]),
    %% messages, both ways, many times
    Self = self(),
    Echo = spawn(fun() -> echo() end),
    B2 = lists:foldl(fun(_, B) -> Echo ! {Self, B}, receive {echo, R} -> R end end,
                     Big, lists:seq(1, 500)),
    io:format("~w~n", [B2 =:= Big]),
    %% sub-binaries: matched, binary_part, split_binary, binary:split, at bit offsets
    <<_:1000/binary, Mid:5000/binary, _/binary>> = Big,
    Part = binary_part(Big, 299000, 1000),
    Part2 = binary_part(Big, {byte_size(Big), -70}),
    {L, R} = split_binary(Big, 150000),
    <<_:3, Odd:4000/bitstring, _/bitstring>> = Big,
    Pieces = binary:split(Big, <<200, 201, 202>>, [global]),
    io:format("~w ~w ~w ~w ~w ~w ~w~n",
              [byte_size(Mid), binary:first(Part), byte_size(Part2), byte_size(L), byte_size(R),
               bit_size(Odd), length(Pieces)]),
    Echo ! {Self, {Mid, Odd, Part, [Part2 | Pieces]}},
    receive {echo, {Mid2, Odd2, Part3, [P4 | Pieces2]}} ->
        io:format("~w~n", [{Mid2 =:= Mid, Odd2 =:= Odd, Part3 =:= Part, P4 =:= Part2,
                            Pieces2 =:= Pieces}])
    end,
    io:format("~w~n", [erlang:md5(Odd)]),
    io:format("~w ~w~n", [erlang:phash2(Mid), erlang:phash2(Odd)]),
    %% building: appends, iolists, conversions
    Cat = <<Big/binary, Mid/binary, Odd/bitstring>>,
    io:format("~w ~w~n", [bit_size(Cat), erlang:crc32(iolist_to_binary([Mid, Part, [Part2]]))]),
    Acc = lists:foldl(fun(I, A) -> <<A/binary, I:8, (binary:copy(<<I>>, 100))/binary>> end,
                      <<>>, lists:seq(1, 300)),
    io:format("~w ~w~n", [byte_size(Acc), erlang:md5(Acc)]),
    io:format("~w~n", [length(binary_to_list(Mid)) + length(bitstring_to_list(Odd))]),
    T = binary_to_term(term_to_binary({Big, Mid, Odd})),
    io:format("~w~n", [T =:= {Big, Mid, Odd}]),
    %% ETS, timers, maps, the process dictionary
    Tab = ets:new(t, [set]),
    ets:insert(Tab, {k, Mid, Big}),
    [{k, Mid3, Big3}] = ets:lookup(Tab, k),
    io:format("~w ~w~n", [Mid3 =:= Mid, Big3 =:= Big]),
    erlang:send_after(10, self(), {timer, Part}),
    receive {timer, P5} -> io:format("~w~n", [P5 =:= Part]) end,
    put(big, Big),
    M = maps:from_list([{I, binary_part(Big, I * 100, 100)} || I <- lists:seq(0, 99)]),
    erlang:garbage_collect(),
    io:format("~w ~w~n", [get(big) =:= Big, maps:get(42, M) =:= binary_part(Big, 4200, 100)]),
    %% comparison and order against heap binaries and literals
    io:format("~w~n", [[Mid < Big, Part > Mid, <<0:600>> < Big, Big == <<Big/binary>>,
                        binary_part(Big, 0, 64) < binary_part(Big, 0, 65)]]),
    %% many large binaries made and dropped: released by the collector
    Total = churn(3000, 0),
    io:format("~w~n", [Total]),
    %% processes that die holding binaries, and messages never received
    Pids = [spawn(fun() -> X = binary:copy(<<I>>, 1000000), receive stop -> byte_size(X) end end)
            || I <- lists:seq(1, 50)],
    [P ! {junk, Big} || P <- Pids],
    [P ! stop || P <- Pids],
    Workers = [spawn_monitor(fun() -> exit({done, byte_size(binary:copy(Mid, 200))}) end)
               || _ <- lists:seq(1, 20)],
    Sizes = [receive {'DOWN', Ref, process, Pid, {done, S}} -> S end || {Pid, Ref} <- Workers],
    io:format("~w~n", [lists:sum(Sizes)]),
    Echo ! stop,
    ok.

churn(0, Acc) -> Acc;
churn(N, Acc) ->
    B = binary:copy(<<N:32>>, 250000),
    <<_:4/binary, S:100/binary, _/binary>> = B,
    churn(N - 1, Acc + binary:at(S, 99)).

echo() ->
    receive
        {From, B} -> From ! {echo, B}, echo();
        stop -> ok
    end.
