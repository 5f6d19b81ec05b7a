-module(rxgen).
%% Random patterns over common PCRE syntax and random subjects; writes the
%% inputs for drv.c and erl's own re:run results (see test_erlang_re.py).
-export([main/1]).
atoms() -> ["a","B","c",".","\\d","\\W","\\S","[aB]","[^a\\n]","[a-c]","x","\\b","^","$","(?:ab|a)","(a|b)","(a*?)","(?<n>c|)","\\n","[[:upper:]]","(?i)b","(?-i:a)","\\1","(?!c)","(?<!a)","(b+|c)","(?>ab|a)"].
quant() -> ["","","","","*","+","?","*?","+?","{2}","{1,2}","{0,}","??","{,2}","*+","++","?+"].
rep(A) -> case lists:member(A, ["\\b","^","$"]) of true -> ""; false -> lists:nth(rand:uniform(length(quant())), quant()) end.
pat(0) -> "";
pat(N) ->
    A = lists:nth(rand:uniform(length(atoms())), atoms()),
    Alt = case rand:uniform(8) of 1 -> "|"; _ -> "" end,
    Grp = case rand:uniform(6) of 1 -> "(" ++ A ++ rep(A) ++ ")" ++ rep(x); _ -> A ++ rep(A) end,
    Grp ++ Alt ++ pat(N-1).
subj() -> [lists:nth(rand:uniform(8), "abcAB x\n") || _ <- lists:seq(1, rand:uniform(10))].
hex(S) -> lists:flatten([io_lib:format("~2.16.0b",[C]) || C <- S]).
opts(N) -> [O || {B, O} <- [{2, caseless}, {4, multiline}, {8, dotall}, {64, ungreedy}], N band B =/= 0].
main([Seed, N, In, Want]) ->
    rand:seed(exsss, {list_to_integer(Seed), 5, 6}),
    {ok, F} = file:open(In, [write]), {ok, G} = file:open(Want, [write]),
    [begin P = pat(rand:uniform(5)), S = subj(), O = lists:nth(rand:uniform(6), [0, 2, 4, 8, 14, 64]),
       io:format(F, "~p ~s ~s~n", [O, hex(P), hex(S)]),
       R = case re:compile(P, opts(O)) of {error, {_, Pos}} -> io_lib:format("error ~p", [Pos]);
             {ok, MP} -> case re:run(S, MP, [report_errors, global]) of nomatch -> "nomatch"; {error,_} -> "limit"; M -> io_lib:format("~w", [M]) end end,
       io:format(G, "~s~n", [R]) end || _ <- lists:seq(1, list_to_integer(N))],
    halt().
