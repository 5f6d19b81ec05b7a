-module(re_replace_split).
-export([start/0]).
%% re:replace and re:split (OTP's own Erlang code over the re:run BIF).

start() ->
    R = [
        re:replace("hello world", "o", "0", [{return, list}]),
        re:replace("hello world", "o", "0", [global, {return, list}]),
        re:replace("hello world", "(\\w+) (\\w+)", "\\2 \\1", [{return, list}]),
        re:replace("hello world", "l+", "[&]", [global, {return, binary}]),
        re:replace("abc", "x", "y", [{return, list}]),
        re:replace("a,b,,c", ",", ";", [global, {return, list}]),
        re:replace("  trim me  ", "^\\s+|\\s+$", "", [global, {return, list}]),
        re:replace("CamelCaseString", "([A-Z])", "_\\1", [global, {return, list}]),
        re:replace("aaa", "a*", "-", [global, {return, list}]),
        re:replace("abc", "", "-", [global, {return, list}]),
        re:replace("x", "x", "\\&", [{return, list}]),
        iolist_to_binary(re:replace(<<"iodata out">>, "o", "O", [global])),
        re:split("a,b,,c", ","),
        re:split("a,b,,c", ",", [{return, list}]),
        re:split("a,b,,c,,", ",", [{return, list}, trim]),
        re:split("a,b,,c", ",", [{return, list}, {parts, 2}]),
        re:split("a1b22c333d", "\\d+", [{return, list}]),
        re:split("a1b22c", "(\\d)", [{return, list}]),
        re:split("a1b22c", "(\\d)", [{return, list}, group]),
        re:split("abc", "", [{return, list}]),
        re:split("one  two   three", "\\s+", [{return, binary}]),
        re:split("", ",", [{return, list}]),
        re:split("key=value", "=", [{return, list}, {parts, 2}])
    ],
    lists:foreach(fun(X) -> io:format("~p~n", [X]) end, R),
    ok.
