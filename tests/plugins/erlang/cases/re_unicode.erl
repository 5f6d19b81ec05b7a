-module(re_unicode).
-export([start/0]).
%% re with the unicode option: UTF-8 subjects, byte offsets, . on code points.

start() ->
    S = "héllo wörld ✓",
    io:format("~p~n", [re:run(S, "w.rld", [unicode, {capture, all, list}])]),
    io:format("~p~n", [re:run(S, "w.rld", [unicode])]),
    io:format("~p~n", [re:run(S, "[éö]", [unicode, global, {capture, all, index}])]),
    io:format("~p~n", [re:run(S, "✓$", [unicode, {capture, all, binary}])]),
    io:format("~p~n", [re:run(<<"naïve"/utf8>>, <<"ï"/utf8>>, [unicode])]),
    io:format("~p~n", [re:split(S, " ", [unicode, {return, list}])]),
    io:format("~p~n", [re:replace(S, "ö", "oe", [unicode, {return, list}])]),
    io:format("~p~n", [re:run("añb", "a.b", [unicode, {capture, none}])]),
    io:format("~p~n", [re:run("日本語", "\\x{672C}", [unicode])]),
    io:format("~p~n", [re:run("日本語", "", [unicode, global])]),
    io:format("~p~n", [re:run("ÉCOLE école", "école", [unicode, caseless, global])]),
    io:format("~p~n", [re:run("ПРИВЕТ мир", "привет", [unicode, caseless, {capture, all, binary}])]),
    io:format("~p~n", [re:run("ÀÉ", "[à-é]+", [unicode, caseless])]),
    io:format("~p~n", [re:run([201], [233], [caseless])]),
    {ok, MP} = re:compile("é", [unicode]),
    io:format("~p~n", [try re:run("é", MP, [unicode]) catch error:R -> R end]),
    io:format("~p~n", [re:run(<<"é"/utf8>>, MP)]),
    ok.
