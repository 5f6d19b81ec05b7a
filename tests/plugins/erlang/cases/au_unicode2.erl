-module(au_unicode2).
-export([start/0]).
%% Normalisation forms, graphemes, case mapping beyond Latin-1, widths.
start() ->
    Composed = "é",
    Decomposed = [$e, 16#301],
    io:format("~w~n", [unicode:characters_to_nfd_list(Composed)]),
    io:format("~w~n", [unicode:characters_to_nfc_list(Decomposed)]),
    io:format("~w~n", [unicode:characters_to_nfkc_list("ﬁ")]),
    io:format("~p~n", [unicode:characters_to_nfc_binary(Decomposed)]),
    io:format("~p~n", [string:equal(Composed, Decomposed)]),
    io:format("~p~n", [string:equal(Composed, Decomposed, false, nfc)]),
    io:format("~p ~p~n", [string:length(Decomposed), length(Decomposed)]),
    io:format("~w~n", [string:reverse("ae" ++ [16#301] ++ "x")]),
    io:format("~w~n", [string:to_graphemes("e" ++ [16#301] ++ "\r\nz")]),
    io:format("~ts~n", [string:uppercase("straße ǆ ΣΑΣ σας")]),
    io:format("~ts~n", [string:lowercase("ΣΑΣ İSTANBUL")]),
    io:format("~ts~n", [string:titlecase("ǆemal")]),
    io:format("~ts~n", [string:casefold("Straße")]),
    io:format("~p~n", [string:lexemes("a\r\nb\tc  d", [$\s, $\t, "\r\n"])]),
    io:format("~w~n", [string:next_codepoint("ŝa")]),
    io:format("~tp~n", [string:split("α,β,γ", ",", all)]),
    io:format("~p~n", [io_lib:format("~10ts|", ["日本"])]),
    io:format("~tp~n", [#{<<"ключ"/utf8>> => "значение"}]),
    io:format("~p~n", [#{<<"ключ"/utf8>> => "значение"}]),
    ok.
