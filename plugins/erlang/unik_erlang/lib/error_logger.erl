%% error_logger — unik's replacement: messages go to logger (and the console).
-module(error_logger).
-export([error_msg/1, error_msg/2, format/2, error_report/1, error_report/2,
         warning_msg/1, warning_msg/2, warning_report/1, info_msg/1, info_msg/2,
         info_report/1, get_format_depth/0, tty/1, logfile/1]).

error_msg(F) -> error_msg(F, []).
error_msg(F, A) -> logger:log(error, F, A).
format(F, A) -> logger:log(error, F, A).
error_report(R) -> logger:log(error, {report, R}).
error_report(_T, R) -> logger:log(error, {report, R}).
warning_msg(F) -> warning_msg(F, []).
warning_msg(F, A) -> logger:log(warning, F, A).
warning_report(R) -> logger:log(warning, {report, R}).
info_msg(F) -> info_msg(F, []).
info_msg(F, A) -> logger:log(info, F, A).
info_report(R) -> logger:log(info, {report, R}).
get_format_depth() -> unlimited.
tty(_) -> ok.
logfile(_) -> {error, enotsup}.
