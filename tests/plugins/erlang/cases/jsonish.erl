-module(jsonish).
-export([start/0]).

%% A small JSON encoder/decoder on binaries.
encode(null) -> <<"null">>;
encode(true) -> <<"true">>;
encode(false) -> <<"false">>;
encode(N) when is_integer(N) -> integer_to_binary(N);
encode(F) when is_float(F) -> float_to_binary(F, [short]);
encode(A) when is_atom(A) -> encode(atom_to_binary(A, utf8));
encode(B) when is_binary(B) -> [$", escape(B), $"];
encode(L) when is_list(L) -> [$[, lists:join($,, [encode(X) || X <- L]), $]];
encode(M) when is_map(M) ->
    Pairs = [[encode(to_key(K)), $:, encode(V)] || {K, V} <- lists:sort(maps:to_list(M))],
    [${, lists:join($,, Pairs), $}].

to_key(K) when is_atom(K) -> atom_to_binary(K, utf8);
to_key(K) when is_binary(K) -> K;
to_key(K) when is_integer(K) -> integer_to_binary(K).

escape(B) -> << <<(esc(C))/binary>> || <<C/utf8>> <= B >>.
esc($") -> <<"\\\"">>;
esc($\\) -> <<"\\\\">>;
esc($\n) -> <<"\\n">>;
esc(C) when C < 32 -> list_to_binary(io_lib:format("\\u~4.16.0b", [C]));
esc(C) -> <<C/utf8>>.

decode(Bin) ->
    try
        {V, Rest} = value(skip(Bin)),
        case skip(Rest) of
            <<>> -> {ok, V};
            Extra -> throw({trailing, byte_size(Extra)})
        end
    catch
        throw:Why -> {error, Why}
    after
        put(decoded, get(decoded) + 1)
    end.

skip(<<C, R/binary>>) when C =:= $\s; C =:= $\n; C =:= $\t; C =:= $\r -> skip(R);
skip(B) -> B.

value(<<"null", R/binary>>) -> {null, R};
value(<<"true", R/binary>>) -> {true, R};
value(<<"false", R/binary>>) -> {false, R};
value(<<$", R/binary>>) -> string(R, <<>>);
value(<<$[, R/binary>>) -> array(skip(R), []);
value(<<${, R/binary>>) -> object(skip(R), #{});
value(<<C, _/binary>> = B) when C =:= $-; C >= $0, C =< $9 -> number(B);
value(<<C, _/binary>>) -> throw({unexpected, <<C>>});
value(<<>>) -> throw(eof).

string(<<$", R/binary>>, Acc) -> {Acc, R};
string(<<$\\, $n, R/binary>>, Acc) -> string(R, <<Acc/binary, $\n>>);
string(<<$\\, C, R/binary>>, Acc) -> string(R, <<Acc/binary, C>>);
string(<<C/utf8, R/binary>>, Acc) -> string(R, <<Acc/binary, C/utf8>>);
string(<<>>, _) -> throw(unterminated_string).

array(<<$], R/binary>>, Acc) -> {lists:reverse(Acc), R};
array(B, Acc) ->
    {V, R} = value(B),
    case skip(R) of
        <<$,, R2/binary>> -> array(skip(R2), [V | Acc]);
        <<$], R2/binary>> -> {lists:reverse([V | Acc]), R2};
        _ -> throw(bad_array)
    end.

object(<<$}, R/binary>>, Acc) -> {Acc, R};
object(<<$", R/binary>>, Acc) ->
    {K, R1} = string(R, <<>>),
    R2 = case skip(R1) of
             <<$:, After/binary>> -> After;
             _ -> throw(missing_colon)
         end,
    {V, R3} = value(skip(R2)),
    case skip(R3) of
        <<$,, R4/binary>> -> object(skip(R4), Acc#{K => V});
        <<$}, R4/binary>> -> {Acc#{K => V}, R4};
        _ -> throw(bad_object)
    end.

number(B) ->
    {Num, Rest} = lists:splitwith(fun(C) -> lists:member(C, "-+.eE0123456789") end,
                                  binary_to_list(B)),
    V = case lists:any(fun(C) -> lists:member(C, ".eE") end, Num) of
            true -> list_to_float(Num);
            false -> list_to_integer(Num)
        end,
    {V, list_to_binary(Rest)}.

start() ->
    put(decoded, 0),
    Doc = #{name => <<"unik \"vm\"">>, version => 3, ratio => 0.125, tags => [a, b, <<"c\nd">>],
            nested => #{empty => [], flag => false, nothing => null}, big => 1 bsl 70,
            neg => -12.5e-3},
    Json = iolist_to_binary(encode(Doc)),
    io:format("~s~n", [Json]),
    {ok, Back} = decode(Json),
    io:format("~p~n", [Back]),
    io:format("~p~n", [decode(<<" [1, 2.5e2, -3, \"x\", {\"k\": [true, null]}] ">>)]),
    [io:format("~p~n", [decode(B)]) || B <- [<<"[1, 2">>, <<"{\"a\" 1}">>, <<"tru">>,
                                             <<"[1] x">>, <<"\"open">>, <<"@">>]],
    io:format("decoded ~b documents~n", [get(decoded)]),
    io:format("~p~n", [[float_to_list(X, [{decimals, 3}]) || X <- [1.0, 2.5, 1/3]]]),
    io:format("~p~n", [[float_to_binary(X, [{scientific, 2}]) || X <- [1234.5, 0.000123]]]),
    io:format("~p~n", [[io_lib:format("~.3g", [X]) || X <- [0.1, 123456.0]]]),
    io:format("~p~n", [byte_size(term_to_binary(Doc))]),
    <<A:4, B:12, C/bits>> = <<16#ABCD:16, 5:3>>,
    io:format("~p~n", [{A, B, C, bit_size(C)}]).
