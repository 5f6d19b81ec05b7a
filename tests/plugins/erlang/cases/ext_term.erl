-module(ext_term).
-export([start/0]).

%% term_to_binary/binary_to_term: erl's bytes for the same terms, and round trips.
terms() ->
    [0, 255, 256, -1, 1 bsl 27, -(1 bsl 31), 1 bsl 31, 1 bsl 59, 1 bsl 60, -(1 bsl 64),
     1 bsl 2100, 3.14159, -0.5, 1.0e300, a, 'hello world', 'é', [], "abc", [1000, 2],
     [a | b], {}, {a, {b, [c]}}, list_to_tuple(lists:seq(1, 300)), <<>>, <<1, 2, 3>>,
     <<1:1>>, <<7:13>>, #{}, #{a => 1, "b" => [2], {c} => #{d => <<"e">>}},
     lists:seq(1, 70000), fun lists:reverse/1, [{k, V} || V <- lists:seq(250, 260)]].

start() ->
    lists:foreach(
      fun(T) ->
              B = term_to_binary(T),
              T = binary_to_term(B),
              io:format("~w ~w~n", [byte_size(B), erlang:phash2(B)]),
              case byte_size(B) < 80 of
                  true -> io:format("~w~n", [B]);
                  false -> ok
              end
      end, terms()),
    io:format("~w~n", [term_to_binary(2.5, [{minor_version, 0}])]),
    io:format("~w~n", [term_to_binary('ok', [{minor_version, 2}])]),
    io:format("~w~n", [term_to_binary({x, "y"}, [compressed])]),
    io:format("~w~n", [binary_to_term(<<131, 100, 0, 3, 102, 111, 111, 1, 2>>, [used])]),
    io:format("~w~n", [erlang:external_size({1, 2, "three"})]),
    Bad = [<<>>, <<131>>, <<130, 97, 1>>, <<131, 107, 0, 5, 1>>, <<131, 97, 1, 2>>,
           <<131, 200>>, <<1:7>>],
    [io:format("~w~n", [reason(fun() -> binary_to_term(X) end)]) || X <- Bad],
    io:format("~w~n", [reason(fun() -> binary_to_term(<<131, 100, 0, 8, "zzqqxx99">>, [safe]) end)]),
    Self = self(),
    Self = binary_to_term(term_to_binary(Self)),
    R = make_ref(),
    R = binary_to_term(term_to_binary(R)),
    F = fun(X) -> X * 2 end,
    G = binary_to_term(term_to_binary(F)),
    io:format("~w~n", [G(21)]),
    K = 7,
    H = binary_to_term(term_to_binary(fun(X) -> X + K end)),
    io:format("~w~n", [H(1)]).

reason(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.
