-module(bin_grow).
-export([start/0]).

%% Accumulators that outgrow their bytes: every older version keeps reading
%% its own prefix after the bytes grew (or moved), bitstring accumulators
%% append at any bit offset, a binary received from another process grows
%% while the sender still reads it, and the conversions of large binaries.
start() ->
    {Last, Versions} = versions(3000, <<>>, []),
    io:format("~w ~w~n", [byte_size(Last), erlang:crc32(Last)]),
    io:format("~w~n", [[{byte_size(V), erlang:crc32(V)} || V <- every(397, Versions)]]),
    Old = lists:nth(2500, Versions),
    Fork = <<Old/binary, "fork">>,
    io:format("~w ~w ~w~n", [byte_size(Fork), binary_part(Fork, byte_size(Fork) - 6, 6),
                             erlang:crc32(lists:nth(2500, Versions))]),
    Bits = bits(5000, <<>>),
    io:format("~w ~w~n", [bit_size(Bits), erlang:phash2(Bits)]),
    <<Head:13, _/bitstring>> = Bits,
    io:format("~w ~w~n", [Head, erlang:phash2(<<Bits/bitstring, 1:1>>)]),
    Base = binary:copy(<<"0123456789">>, 1000),
    Self = self(),
    P = spawn(fun() ->
                      receive {B, From} ->
                              Grown = lists:foldl(fun(I, A) -> <<A/binary, I:16>> end, B,
                                                  lists:seq(1, 5000)),
                              From ! {self(), byte_size(Grown), erlang:crc32(Grown)}
                      end
              end),
    P ! {Base, Self},
    receive {P, Size, Crc} -> io:format("~w ~w~n", [Size, Crc]) end,
    io:format("~w ~w~n", [byte_size(Base), erlang:crc32(Base)]),
    Mine = <<Base/binary, "mine">>,
    io:format("~w ~w~n", [byte_size(Mine), binary_part(Mine, 9998, 6)]),
    Copy = binary:copy(Mine, 1),
    io:format("~w ~w~n", [Copy =:= Mine, byte_size(binary:copy(<<"ab">>, 3000))]),
    Big = << <<(I band 255)>> || I <- lists:seq(1, 300000) >>,
    L = binary_to_list(Big),
    io:format("~w ~w ~w~n", [length(L), lists:sum(L), list_to_binary(L) =:= Big]),
    IoL = [[<<"ab">>, "cd", [$e | <<"f">>]] || _ <- lists:seq(1, 50000)],
    IoB = iolist_to_binary(IoL),
    io:format("~w ~w ~w~n", [byte_size(IoB), iolist_size(IoL), erlang:crc32(IoB)]),
    io:format("~w ~w~n", [sum32(Big, 0), erlang:adler32(Big)]),
    %% megabytes: the bytes move into a mapping of their own and grow there
    Mid = wide(200000, <<>>),
    Large = wide(250000, Mid),
    Fork2 = <<Mid/binary, "after">>,
    io:format("~w ~w ~w~n", [byte_size(Mid), erlang:crc32(Mid), binary:last(Mid)]),
    io:format("~w ~w ~w~n", [byte_size(Large), erlang:crc32(Large), byte_size(Fork2)]),
    io:format("~w~n", [binary_part(Fork2, byte_size(Fork2) - 8, 8)]).

wide(0, Acc) -> Acc;
wide(N, Acc) -> wide(N - 1, <<Acc/binary, N:64>>).

versions(0, Acc, Vs) -> {Acc, lists:reverse(Vs)};
versions(N, Acc, Vs) ->
    Next = <<Acc/binary, N:32, (N rem 7):8>>,
    versions(N - 1, Next, [Next | Vs]).

bits(0, Acc) -> Acc;
bits(N, Acc) -> bits(N - 1, <<Acc/bitstring, N:(1 + N rem 11)>>).

every(K, L) -> [lists:nth(I, L) || I <- lists:seq(1, length(L), K)].

sum32(<<X:32, Rest/binary>>, S) -> sum32(Rest, S + X);
sum32(<<_/binary>>, S) -> S.
