%% io — unik's replacement for OTP's io module. In the unikernel there is no
%% group leader process or I/O server: output requests are formatted here
%% with OTP's own io_lib and written straight to the console by the VM's
%% unik:put_chars/2 BIF (standard_error is the same console).
-module(io).
-export([format/1, format/2, format/3, fwrite/1, fwrite/2, fwrite/3,
         put_chars/1, put_chars/2, nl/0, nl/1, write/1, write/2,
         columns/0, columns/1, rows/0, rows/1, get_line/1, get_line/2,
         printable_range/0, setopts/1, setopts/2, getopts/0, getopts/1,
         request/1, request/2]).

format(Format) -> format(Format, []).
format(Format, Args) -> put_chars(standard_io, format_chars(Format, Args)).
format(Device, Format, Args) -> put_chars(Device, format_chars(Format, Args)).

fwrite(Format) -> format(Format, []).
fwrite(Format, Args) -> format(Format, Args).
fwrite(Device, Format, Args) -> format(Device, Format, Args).

put_chars(Chars) -> put_chars(standard_io, Chars).
put_chars(Device, Chars) -> unik:put_chars(device(Device), Chars).

nl() -> put_chars(standard_io, "\n").
nl(Device) -> put_chars(Device, "\n").

write(Term) -> write(standard_io, Term).
write(Device, Term) -> put_chars(Device, io_lib:write(Term)).

columns() -> {error, enotsup}.
columns(_) -> {error, enotsup}.
rows() -> {error, enotsup}.
rows(_) -> {error, enotsup}.
get_line(_Prompt) -> eof.
get_line(_Device, _Prompt) -> eof.
printable_range() -> latin1.      % erl -noshell's default
setopts(_) -> ok.
setopts(_, _) -> ok.
getopts() -> [{binary, false}, {encoding, latin1}].
getopts(_) -> [{binary, false}, {encoding, latin1}].
request(_) -> {error, enotsup}.
request(_, _) -> {error, enotsup}.

format_chars(Format, Args) ->
    try io_lib:format(Format, Args)
    catch error:_ -> erlang:error(badarg, [Format, Args])
    end.

device(standard_error) -> standard_error;
device(_) -> standard_io.
