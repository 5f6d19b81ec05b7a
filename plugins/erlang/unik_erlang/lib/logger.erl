%% logger — unik's replacement: no handlers, filters or formatters; events at
%% level error and above are printed to the console (stderr, like erl's
%% default handler prints to its standard_io), the rest is dropped.
-module(logger).
-export([allow/2, macro_log/3, macro_log/4, macro_log/5, log/2, log/3, log/4,
         error/1, error/2, error/3, warning/1, warning/2, warning/3,
         notice/1, notice/2, notice/3, info/1, info/2, info/3, debug/1, debug/2, debug/3,
         set_primary_config/2, get_primary_config/0, add_handler/3, remove_handler/1,
         set_process_metadata/1, update_process_metadata/1, get_process_metadata/0]).

allow(Level, _Module) -> severity(Level) =< severity(error).
macro_log(_Loc, Level, Msg) -> log(Level, Msg).
macro_log(_Loc, Level, A, B) -> log(Level, A, B).
macro_log(_Loc, Level, A, B, _Meta) -> log(Level, A, B).
log(Level, Msg) -> log(Level, Msg, #{}).
log(Level, FunOrFormat, Args) ->
    case allow(Level, undefined) of
        true -> emit(Level, FunOrFormat, Args);
        false -> ok
    end.
log(Level, Format, Args, _Meta) -> log(Level, Format, Args).

error(M) -> log(error, M).
error(A, B) -> log(error, A, B).
error(A, B, _) -> log(error, A, B).
warning(M) -> log(warning, M).
warning(A, B) -> log(warning, A, B).
warning(A, B, _) -> log(warning, A, B).
notice(M) -> log(notice, M).
notice(A, B) -> log(notice, A, B).
notice(A, B, _) -> log(notice, A, B).
info(M) -> log(info, M).
info(A, B) -> log(info, A, B).
info(A, B, _) -> log(info, A, B).
debug(M) -> log(debug, M).
debug(A, B) -> log(debug, A, B).
debug(A, B, _) -> log(debug, A, B).

set_primary_config(_, _) -> ok.
get_primary_config() -> #{level => error}.
add_handler(_, _, _) -> ok.
remove_handler(_) -> ok.
set_process_metadata(_) -> ok.
update_process_metadata(_) -> ok.
get_process_metadata() -> undefined.

%% a report with a report_cb in its metadata (gen_server's, gen_statem's,
%% supervisor's) is formatted by it, as erl's default formatter does
emit(Level, Report, #{report_cb := Cb}) when is_map(Report), is_function(Cb, 2) ->
    case catch Cb(Report, #{depth => unlimited, chars_limit => unlimited,
                            single_line => false, encoding => utf8}) of
        {'EXIT', _} -> print(Level, "~tp", [Report]);
        Chars -> print(Level, "~ts", [Chars])
    end;
emit(Level, Report, #{report_cb := Cb}) when is_map(Report), is_function(Cb, 1) ->
    case catch Cb(Report) of
        {Format, Args} when is_list(Args) -> print(Level, Format, Args);
        _ -> print(Level, "~tp", [Report])
    end;
emit(Level, {report, Report}, _) -> print(Level, "~tp", [Report]);
emit(Level, Report, _) when is_map(Report) -> print(Level, "~tp", [Report]);
emit(Level, Fun, FunArgs) when is_function(Fun, 1) ->
    case Fun(FunArgs) of
        {Format, Args} -> print(Level, Format, Args);
        Report -> print(Level, "~tp", [Report])
    end;
emit(Level, {string, S}, _) -> print(Level, "~ts", [S]);
emit(Level, Format, Args) when is_list(Args) -> print(Level, Format, Args);
emit(Level, Format, _) -> print(Level, Format, []).

print(Level, Format, Args) ->
    Text = try io_lib:format(Format, Args) catch _:_ -> io_lib:format("~tp: ~tp", [Format, Args]) end,
    io:put_chars(standard_error, ["=", string:uppercase(atom_to_list(Level)), " REPORT==== ",
                                  timestamp(), " ===\n", string:trim(Text, trailing, "\n"),
                                  "\n\n"]).

%% erl's header time, "5-Dec-2026::02:12:59.053879" (the guest's clock is UTC)
timestamp() ->
    Us = erlang:system_time(microsecond),
    {{Y, Mo, D}, {H, Mi, S}} = calendar:system_time_to_universal_time(Us, microsecond),
    Month = element(Mo, {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                         "Oct", "Nov", "Dec"}),
    io_lib:format("~B-~s-~B::~2..0B:~2..0B:~2..0B.~6..0B", [D, Month, Y, H, Mi, S, Us rem 1000000]).

severity(emergency) -> 0;
severity(alert) -> 1;
severity(critical) -> 2;
severity(error) -> 3;
severity(warning) -> 4;
severity(notice) -> 5;
severity(info) -> 6;
severity(debug) -> 7;
severity(_) -> 7.
