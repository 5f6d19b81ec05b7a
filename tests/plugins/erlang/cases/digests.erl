-module(digests).
-export([start/0]).

%% erlang:md5/crc32/adler32 over iodata, and the string module's number readers.
hex(Bin) -> lists:flatten([io_lib:format("~2.16.0b", [B]) || <<B>> <= Bin]).

start() ->
    [io:format("~s~n", [hex(erlang:md5(D))]) ||
        D <- [<<>>, "abc", <<"The quick brown fox jumps over the lazy dog">>,
              ["a", [$b, <<"c">>], []], binary:copy(<<"x">>, 1000)]],
    C0 = erlang:md5_init(),
    C1 = erlang:md5_update(C0, "The quick brown fox "),
    C2 = erlang:md5_update(C1, <<"jumps over the lazy dog">>),
    io:format("~s~n", [hex(erlang:md5_final(C2))]),
    io:format("~p~n", [[erlang:crc32(D) || D <- [<<>>, "123456789", [<<"ab">>, $c]]]]),
    io:format("~p~n", [erlang:crc32(erlang:crc32("1234"), "56789")]),
    io:format("~p~n", [[erlang:adler32(D) || D <- [<<>>, "Wikipedia", <<"abc">>]]]),
    io:format("~p~n", [erlang:adler32(erlang:adler32("Wiki"), "pedia")]),
    io:format("~p~n", [try erlang:md5([256]) catch error:R -> R end]),
    io:format("~p~n", [[string:to_float(S) || S <- ["1e3", "1.", "1.5e", "-1.5E+2rest",
                                                    "+0.5", ".5", "x", "3.0e-2!"]]]),
    io:format("~p~n", [[string:to_integer(S) || S <- ["-12x", "+", "+3", " 4", "007",
                                                      "123456789012345678901234567890z"]]]),
    io:format("~p~n", [[string:to_integer(<<"42 apples">>), string:to_float(<<"2.5 kg">>)]]).
