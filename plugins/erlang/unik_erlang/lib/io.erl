%% io — unik's replacement for OTP's io module. In the unikernel there is no
%% group leader process or I/O server: output requests are formatted here
%% with OTP's own io_lib and written straight to the console by the VM's
%% unik:put_chars/2 BIF (standard_error is the same console).
-module(io).
-export([format/1, format/2, format/3, fwrite/1, fwrite/2, fwrite/3,
         put_chars/1, put_chars/2, nl/0, nl/1, write/1, write/2,
         columns/0, columns/1, rows/0, rows/1, get_line/1, get_line/2,
         get_chars/2, get_chars/3, fread/2, fread/3, read/1, read/2,
         printable_range/0, setopts/1, setopts/2, getopts/0, getopts/1,
         request/1, request/2]).

format(Format) -> o_format(standard_io, Format, [], format, [Format]).
format(Format, Args) -> o_format(standard_io, Format, Args, format, [Format, Args]).
format(Device, Format, Args) -> o_format(Device, Format, Args, format, [Device, Format, Args]).

fwrite(Format) -> o_format(standard_io, Format, [], fwrite, [Format]).
fwrite(Format, Args) -> o_format(standard_io, Format, Args, fwrite, [Format, Args]).
fwrite(Device, Format, Args) -> o_format(Device, Format, Args, fwrite, [Device, Format, Args]).

put_chars(Chars) -> o_put_chars(standard_io, Chars, [Chars]).
put_chars(Device, Chars) -> o_put_chars(Device, Chars, [Device, Chars]).

o_format(Device, Format, Args, Func, CallArgs) ->
    case catch io_lib:format(Format, Args) of
        {'EXIT', _} -> request_failed(Func, CallArgs);
        Chars -> o_put_chars(Device, Chars, CallArgs, Func)
    end.

o_put_chars(Device, Chars, CallArgs) -> o_put_chars(Device, Chars, CallArgs, put_chars).
o_put_chars(Device, Chars, CallArgs, Func) ->
    case catch unik:put_chars(device(Device), Chars) of
        ok -> ok;
        _ -> request_failed(Func, CallArgs)
    end.

%% badarg as erl's io raises it when the I/O server refuses a request: the
%% frame of the io function the program called, with its arguments, on top of
%% the program's own frames (io's internal frames left out).
request_failed(Func, CallArgs) ->
    {'EXIT', {undef, Frames}} = (catch erlang:error(undef)),
    Callers = lists:dropwhile(fun(F) -> element(1, F) =:= io end, Frames),
    Info = #{cause => {device, put_chars}, module => erl_stdlib_errors},
    erlang:raise(error, badarg,
                 [{io, Func, CallArgs, [{file, "io.erl"}, {line, 99}, {error_info, Info}]}
                  | Callers]).

nl() -> put_chars(standard_io, "\n").
nl(Device) -> put_chars(Device, "\n").

write(Term) -> write(standard_io, Term).
write(Device, Term) -> put_chars(Device, io_lib:write(Term)).

columns() -> {error, enotsup}.
columns(_) -> {error, enotsup}.
rows() -> {error, enotsup}.
rows(_) -> {error, enotsup}.
get_line(Prompt) -> get_line(standard_io, Prompt).
get_line(Device, Prompt) ->
    put_chars(standard_io, prompt(Prompt)),
    case take_pending() of
        [] -> unik:get_line(Device);
        Rest -> erase(unik_io_pending), Rest
    end.
get_chars(Prompt, N) -> get_chars(standard_io, Prompt, N).
get_chars(Device, Prompt, N) when is_integer(N), N >= 0 ->
    put_chars(standard_io, prompt(Prompt)),
    read_chars(Device, N, []).
%% io:fread and io:read take input line by line through io_lib:fread/3 and
%% erl_scan:tokens/3 continuations; what is left of the last line is kept for
%% the next read, as erl's I/O server keeps it.
fread(Prompt, Format) -> fread(standard_io, Prompt, Format).
fread(Device, Prompt, Format) ->
    put_chars(standard_io, prompt(Prompt)),
    fread_more(Device, [], Format).

fread_more(Device, Cont, Format) ->
    case next_line(Device) of
        eof ->
            case io_lib:fread(Cont, eof, Format) of
                {done, Result, _} -> Result;
                _ -> eof
            end;
        Line ->
            case io_lib:fread(Cont, Line, Format) of
                {done, Result, Rest} -> keep(Rest), Result;
                {more, Cont2} -> fread_more(Device, Cont2, Format)
            end
    end.

read(Prompt) -> read(standard_io, Prompt).
read(Device, Prompt) ->
    put_chars(standard_io, prompt(Prompt)),
    read_more(Device, []).

read_more(Device, Cont) ->
    Line = next_line(Device),
    case erl_scan:tokens(Cont, Line, 1) of
        {done, {ok, Tokens, _}, Rest} ->
            keep(Rest),
            case erl_parse:parse_term(Tokens) of
                {ok, Term} -> {ok, Term};
                {error, E} -> {error, E}
            end;
        {done, {eof, _}, _} -> eof;
        {done, {error, E, _}, Rest} -> keep(Rest), {error, E};
        {more, Cont2} -> read_more(Device, Cont2)
    end.

next_line(Device) ->
    case take_pending() of
        [] -> unik:get_line(Device);
        Rest -> erase(unik_io_pending), Rest
    end.

keep(eof) -> ok;
keep([]) -> ok;
keep(Rest) -> put(unik_io_pending, Rest).

printable_range() -> latin1.      % erl -noshell's default
setopts(_) -> ok.
setopts(_, _) -> ok.
getopts() -> [{binary, false}, {encoding, latin1}].
getopts(_) -> [{binary, false}, {encoding, latin1}].
request(_) -> {error, enotsup}.
request(_, _) -> {error, enotsup}.

%% io:get_chars: whole lines are read and the rest of the last one is kept
%% for the next read, so lines and characters can be mixed.
read_chars(_Device, 0, Acc) -> lists:reverse(Acc);
read_chars(Device, N, Acc) ->
    case take_pending() of
        [] ->
            case unik:get_line(Device) of
                eof when Acc =:= [] -> eof;
                eof -> lists:reverse(Acc);
                Line -> put(unik_io_pending, Line), read_chars(Device, N, Acc)
            end;
        [C | Rest] -> put(unik_io_pending, Rest), read_chars(Device, N - 1, [C | Acc])
    end.

take_pending() ->
    case get(unik_io_pending) of
        undefined -> [];
        P -> P
    end.

prompt('') -> [];
prompt(P) when is_atom(P) -> atom_to_list(P);
prompt(P) -> P.

device(standard_error) -> standard_error;
device(_) -> standard_io.
