-module(wordfreq).
-export([start/0]).

text() ->
    <<"The quick brown fox jumps over the lazy dog.\n"
      "  The dog barks; the fox runs away!  \n"
      "A quick-thinking dog, a lazy fox, and THE end.\n"
      "Numbers: 42, 7, 1999 and 3.14 are not words\n">>.

words(Bin) ->
    Lower = string:lowercase(Bin),
    Tokens = string:lexemes(Lower, " \n\t.,;:!?"),
    [W || W <- Tokens, is_word(W)].

is_word(W) -> lists:all(fun(C) -> (C >= $a andalso C =< $z) orelse C =:= $- end,
                        unicode:characters_to_list(W)).

count(Words) ->
    lists:foldl(fun(W, M) -> maps:update_with(W, fun(N) -> N + 1 end, 1, M) end, #{}, Words).

top(Counts, N) ->
    Sorted = lists:sort(fun({W1, C1}, {W2, C2}) -> {C1, W2} > {C2, W1} end, maps:to_list(Counts)),
    lists:sublist(Sorted, N).

lines_report(Bin) ->
    Lines = binary:split(Bin, <<"\n">>, [global, trim_all]),
    [{I, string:trim(L), byte_size(L)} || {I, L} <- lists:zip(lists:seq(1, length(Lines)), Lines)].

caesar(Str, K) ->
    [if C >= $a, C =< $z -> $a + (C - $a + K) rem 26;
        C >= $A, C =< $Z -> $A + (C - $A + K) rem 26;
        true -> C end || C <- Str].

start() ->
    Ws = words(text()),
    io:format("~b words, ~b distinct~n", [length(Ws), map_size(count(Ws))]),
    [io:format("~-8s ~2b ~s~n", [W, C, lists:duplicate(C, $*)]) || {W, C} <- top(count(Ws), 6)],
    [io:format("~2b: ~-45s (~b bytes)~n", [I, L, S]) || {I, L, S} <- lines_report(text())],
    io:format("~p~n", [string:split("key=value=more", "=")]),
    io:format("~p~n", [string:split("a,b,,c", ",", all)]),
    io:format("~p~n", [string:tokens("  split   these words  ", " ")]),
    io:format("~p~n", [string:trim("xxhixx", both, "x")]),
    io:format("~p~n", [[string:uppercase("mixed Case"), string:titlecase("word")]]),
    io:format("~p~n", [string:join(["a", "b", "c"], ", ")]),
    io:format("~p~n", [string:pad("7", 4, leading, $0)]),
    io:format("~p~n", [{string:find("hello world", "o w"), string:str("hello", "ll"),
                        string:chr("hello", $l), string:rstr("hello", "l")}]),
    io:format("~p~n", [string:replace("a-b-c", "-", "+", all)]),
    io:format("~p~n", [[string:to_integer("123abc"), string:to_float("2.5e3x")]]),
    io:format("~p~n", [list_to_binary(lists:join(<<"|">>, [<<"x">>, <<"y">>, <<"z">>]))]),
    io:format("~s~n", [caesar("Hello, World!", 3)]),
    io:format("~s~n", [caesar(caesar("Round Trip", 7), 19)]),
    Bin = << <<(C bxor 16#20)>> || <<C>> <= <<"swap CASE">>, C =/= $\s >>,
    io:format("~p~n", [Bin]),
    io:format("~p~n", [[X * X || X <- lists:seq(1, 10), X rem 3 =:= 1]]),
    io:format("~p~n", [binary:matches(<<"abcabcab">>, <<"ab">>)]),
    io:format("~p~n", [binary:replace(<<"a.b.c">>, <<".">>, <<"::">>, [global])]),
    io:format("~ts~n", [unicode:characters_to_binary("naïve café")]),
    io:format("~p~n", [unicode:characters_to_list(<<"日本"/utf8>>)]),
    io:format("~w~n", [string:length("naïve")]),
    io:format("~p~n", [string:reverse("stressed")]),
    io:format("~p~n", [lists:flatten(io_lib:format("~8.3.*f|~-6w|~6w", [$_, 2.5, abc, 42]))]).
