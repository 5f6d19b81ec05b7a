%% io — unik's replacement for OTP's io module. In the unikernel there is no
%% group leader process or I/O server: output requests are formatted here
%% with OTP's own io_lib and written straight to the console by the VM's
%% unik:put_chars/2 BIF (standard_error is the same console).
-module(io).
-export([format/1, format/2, format/3, fwrite/1, fwrite/2, fwrite/3,
         put_chars/1, put_chars/2, nl/0, nl/1, write/1, write/2,
         columns/0, columns/1, rows/0, rows/1, get_line/1, get_line/2,
         get_chars/2, get_chars/3,
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
